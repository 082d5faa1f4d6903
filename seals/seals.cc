#include "seals/seals.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

#include "hsm/keys.h"
#include "seals/seal_code.h"
#include "seals/seal_image.h"

namespace seald::seals {
namespace {

using Clock = std::chrono::system_clock;

std::int64_t to_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

int year_of(Clock::time_point t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  return static_cast<int>(std::chrono::year_month_day(days).year());
}

// 1y / 2y as calendar years from the moment of making (a seal made on
// 29 February runs to 1 March).
Clock::time_point add_validity(Clock::time_point from, std::string_view validity) {
  auto days = std::chrono::floor<std::chrono::days>(from);
  std::chrono::year_month_day date(days);
  date += std::chrono::years(validity == "2y" ? 2 : 1);
  auto day =
      std::chrono::sys_days(date.ok() ? date : date.year() / date.month() / std::chrono::last);
  if (!date.ok()) {
    day += std::chrono::days(1);
  }
  return day + (from - days);
}

Result<SealPage> with_effective_status(Result<SealPage> page) {
  if (page) {
    std::int64_t now = to_ms(Clock::now());
    for (auto& seal : page->items) {
      seal.status = effective_status(seal, now);
    }
  }
  return page;
}

}  // namespace

Seals::Seals(redis::Pool& pool, hsm::TokenPtr token, pki::CertificateAuthority& ca,
             workflow::Workflow& workflow, orgs::OrgStore& orgs, uploads::UploadStore& uploads)
    : pool_(pool),
      token_(std::move(token)),
      ca_(ca),
      workflow_(workflow),
      orgs_(orgs),
      uploads_(uploads),
      store_(pool) {}

Result<Seal> Seals::make(std::string_view application_id, std::int64_t expected_version,
                         std::string_view operator_id, const MakeOptions& options) {
  auto app = workflow_.get(application_id);
  if (!app) {
    return app.error();
  }
  if (app->kind != workflow::Kind::new_seal || app->state != workflow::State::pending_make) {
    return make_error("application_not_makeable", "application " + app->id + " (" +
                                                      std::string(workflow::to_string(app->kind)) +
                                                      ", " +
                                                      std::string(workflow::to_string(app->state)) +
                                                      ") is not a new seal waiting to be made");
  }
  if (app->version != expected_version) {
    return make_error("application_version_conflict",
                      "application " + app->id + " changed; read it again");
  }
  // Checked early so a second attempt costs no key generation; the create
  // script checks again, atomically, for two operators racing.
  auto existing = store_.code_for_application(app->id);
  if (!existing) {
    return existing.error();
  }
  if (*existing) {
    return make_error("seal_already_made",
                      "application " + app->id + " already has seal " + **existing);
  }
  auto org = orgs_.get(app->form.org_id);
  if (!org) {
    return org.error();
  }

  std::string svg;
  std::string image;
  if (!app->form.image_upload_id.empty()) {
    auto picture = uploads_.info(app->form.image_upload_id);
    if (!picture) {
      return picture.error();
    }
    if (picture->kind != uploads::FileKind::png) {
      return make_error("seal_image_invalid", "a seal picture must be a PNG");
    }
    image = "upload:" + picture->id;
  } else {
    svg = render_seal_svg(org->name, type_display_name(app->form.seal_type));
    image = "svg";
  }

  auto now = Clock::now();
  auto code = next_seal_code(pool_, org->region, year_of(now));
  if (!code) {
    return code.error();
  }
  Seal seal;
  seal.code = *code;
  seal.name = app->form.seal_name;
  seal.org_id = org->id;
  seal.type = app->form.seal_type;
  seal.usage = app->form.usage;
  seal.validity = app->form.validity;
  seal.status = SealStatus::active;
  seal.application_id = app->id;
  seal.applicant_id = app->applicant_id;
  seal.not_before_ms = to_ms(now);
  seal.not_after_ms = to_ms(add_validity(now, seal.validity));
  seal.enabled_ms = seal.not_before_ms;
  seal.image = image;
  seal.version = 1;

  bool cloud = seal.usage == "cloud";
  // From here on, every failure before the application is completed undoes
  // the key (and the record) so nothing is left half-made.
  auto undo_key = [&] {
    if (cloud) {
      if (auto s = hsm::destroy_key_pair(*token_, seal.code); !s) {
        spdlog::error("seal {}: could not destroy the key of an unfinished seal: {}", seal.code,
                      s.error().code);
      }
    }
  };
  if (cloud) {
    seal.key_id = seal.code;
    seal.key_algorithm = std::string(hsm::name(options.algorithm));
    if (auto s = hsm::generate_key_pair(*token_, options.algorithm, seal.code, "seal " + seal.code);
        !s) {
      return s.error();
    }
    auto public_key = hsm::public_key_der(*token_, seal.code);
    if (!public_key) {
      undo_key();
      return public_key.error();
    }
    pki::SealCertificateRequest request{
        seal.name,
        org->name,
        seal.code,
        org->credit_code,
        *public_key,
        now,
        Clock::time_point(std::chrono::milliseconds(seal.not_after_ms))};
    auto issued = ca_.issue_seal_certificate(request);
    if (!issued) {
      undo_key();
      return issued.error();
    }
    seal.certificate = Certificate{issued->serial_hex, std::move(issued->der)};
  }

  if (auto s = store_.create(seal, svg); !s) {
    undo_key();
    return s.error();
  }
  auto done = workflow_.complete(app->id, expected_version, operator_id, options.comment);
  if (!done) {
    if (auto s = store_.remove_new(seal); !s) {
      spdlog::error("seal {}: could not remove the record of an unfinished seal: {}", seal.code,
                    s.error().code);
    }
    undo_key();
    return done.error();
  }
  // The application is completed and the seal stands. The name stays taken
  // either way (by the application or by the seal), and the hand-over is
  // idempotent, so a failure here is logged for a retry rather than undone.
  if (auto s = workflow_.transfer_name_to_seal(app->id, seal.code); !s) {
    spdlog::warn("seal {}: name claim still held by application {}: {}", seal.code, app->id,
                 s.error().code);
  }
  return seal;
}

Result<Seal> Seals::get(std::string_view code) {
  auto seal = store_.get(code);
  if (seal) {
    seal->status = effective_status(*seal, to_ms(Clock::now()));
  }
  return seal;
}

Result<SealPage> Seals::list_by_applicant(std::string_view applicant_id, std::size_t offset,
                                          std::size_t limit) {
  return with_effective_status(store_.list_by_applicant(applicant_id, offset, limit));
}

Result<SealImage> Seals::image(const Seal& seal) {
  if (seal.image.starts_with("upload:")) {
    auto upload = uploads_.get(std::string_view(seal.image).substr(7));
    if (!upload) {
      return upload.error();
    }
    return SealImage{upload->info.content_type, std::move(upload->bytes)};
  }
  auto svg = store_.svg_image(seal.code);
  if (!svg) {
    return svg.error();
  }
  return SealImage{"image/svg+xml", std::move(*svg)};
}

Result<SealPage> Seals::list_in_subtree(std::string_view root_id, std::size_t offset,
                                        std::size_t limit) {
  std::vector<std::string> ids;
  for (std::size_t at = 0;;) {
    auto page = orgs_.list_subtree(root_id, at, orgs::kMaxPageSize);
    if (!page) {
      return page.error();
    }
    for (const auto& org : page->items) {
      ids.push_back(org.id);
    }
    at += page->items.size();
    if (page->items.empty() || at >= page->total) {
      break;
    }
  }
  return with_effective_status(store_.list_by_orgs(ids, offset, limit));
}

}  // namespace seald::seals
