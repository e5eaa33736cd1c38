#pragma once
// A step of a transaction that may fail on its own: what it wrote is undone and the
// transaction goes on (on PostgreSQL a failed statement would otherwise abort the whole).

#include "storage/database.hpp"

namespace yoyaku::storage {

/// Runs `fn()` (returning a Result) inside a savepoint of `tx`; when it fails, its writes are
/// rolled back to the savepoint and its error returned. Savepoints nest.
template <class F>
auto within_savepoint(Tx& tx, F&& fn) -> decltype(fn()) {
    if (auto r = tx.exec_script("SAVEPOINT yoyaku_step"); !r) return fail(std::move(r).error());
    auto out = fn();
    if (!out) {
        if (auto r = tx.exec_script("ROLLBACK TO SAVEPOINT yoyaku_step"); !r)
            return fail(std::move(r).error());
    }
    if (auto r = tx.exec_script("RELEASE SAVEPOINT yoyaku_step"); !r)
        return fail(std::move(r).error());
    return out;
}

}  // namespace yoyaku::storage
