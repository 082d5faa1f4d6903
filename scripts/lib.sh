# Shared by scripts/run, scripts/test and scripts/bench. Sourced, not run.

SEALD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages seald needs to build, run and test. Kept in one place so the
# README's dependency list and the scripts cannot drift apart.
SEALD_BUILD_PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev openssl libhiredis-dev libp11-kit-dev
  libtomlplusplus-dev libspdlog-dev libfmt-dev libargon2-dev libhpdf-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
SEALD_RUNTIME_PACKAGES=(redis-server redis-tools softhsm2 curl)
SEALD_TEST_PACKAGES=(opensc poppler-utils fonts-wqy-microhei librsvg2-bin)

log() { printf '[seald] %s\n' "$*" >&2; }
die() { printf '[seald] error: %s\n' "$*" >&2; exit 1; }

# Installs whatever of the given packages is missing (apt-get update first).
ensure_packages() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >/dev/null || die "apt-get install failed for: ${missing[*]}"
}

# Configures and builds into the given folder with the given build type.
build_seald() {
  local dir="$1" type="$2"
  shift 2
  cmake -S "$SEALD_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null \
    || die "cmake configure failed"
  cmake --build "$dir" -j"$(nproc)" || die "build failed"
}
