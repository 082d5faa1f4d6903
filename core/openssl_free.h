#pragma once

// The deleter for unique_ptr owners of OpenSSL objects: OpenSslFree<X509_free>.
// Each component declares the owner aliases it needs next to its code.

namespace seald {

template <auto Free>
struct OpenSslFree {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};

}  // namespace seald
