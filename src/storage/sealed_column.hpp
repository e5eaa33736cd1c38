#pragma once
// A column that holds sealed bytes (crypto::seal under a tenant's data key, ADR 0015). The
// store that owns the table declares it; key rotation (domain/rekey) reads every declaration,
// and a test walks both schemas so that no `*_sealed` column goes undeclared.

#include <string_view>

namespace yoyaku::storage {

/// How a row keeps a blind index of what its sealed column holds.
enum class SealedIndex {
    none,      ///< the column has no index
    email,     ///< the index is of the sealed value itself (an address, a LINE user id)
    customer,  ///< the index is of the "email" of the sealed customer JSON
};

struct SealedColumn {
    std::string_view table;
    std::string_view column;
    /// The name the associated data binds (crypto::field_context); empty: `extra` gives it
    /// per row.
    std::string_view context;
    SealedIndex index = SealedIndex::none;
    /// One more SQL expression read with the row: the context when it depends on the row (a
    /// TOTP secret is "totp_pending" until confirmed), or the reference an anonymised row's
    /// index is made from; "''" when not needed.
    std::string_view extra = "''";
    /// The column holding the blind index, when `index` is not none.
    std::string_view index_column = "email_index";
};

}  // namespace yoyaku::storage
