#pragma once
// Request and answer bodies from one declaration (ADR 0016): a struct described with
// Boost.Describe (`BOOST_DESCRIBE_STRUCT`, enums with `BOOST_DESCRIBE_ENUM`) is read from a JSON
// object member by member and written back the same way, so its fields are listed once. What
// a member may hold is its C++ type: bool, int (|n| ≤ 10⁹), std::int64_t, std::string, an
// Id<Tag> (a positive integer), an Instant (RFC 3339), a described enum (its enumerator's
// name), a described struct (an object), std::optional<T> (null or absent: none),
// std::vector<T> (a list), std::map<std::string, T> (an object of named values, names of at
// most 64 bytes) and any type with a `Reader<T>` of its own. A key the struct does not declare is
// refused; an absent member keeps the struct's default unless `Required<T>` names it. Every refusal
// names the field
// ("ticket_types[2].price_jpy"); the domain then checks what the values mean.

#include <array>
#include <boost/describe.hpp>
#include <boost/json.hpp>
#include <boost/mp11.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "http/json/body.hpp"

namespace yoyaku::http {

/// A string member of at most N bytes of UTF-8 (the domain checks what it means).
template <std::size_t N>
struct Text {
    std::string value;
};

/// The members a request must name; specialise for a described struct that has any (or give
/// the struct a `static constexpr std::array<std::string_view, N> kRequired`).
template <class T>
struct Required {
    static constexpr std::array<std::string_view, 0> names{};
};

/// How a type read in a way of its own is read: specialise with
/// `static Result<void> read(const boost::json::value&, const std::string& field, T&)`.
template <class T>
struct Reader;

namespace described {

/// Bytes a string member may hold here (the domain checks its real length).
inline constexpr std::size_t kMaxString = 65536;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};
template <class T>
struct is_map : std::false_type {};
template <class T>
struct is_map<std::map<std::string, T>> : std::true_type {};
template <class T>
struct is_text : std::false_type {};
template <std::size_t N>
struct is_text<Text<N>> : std::true_type {
    static constexpr std::size_t max = N;
};
template <class T>
struct is_id : std::false_type {};
template <class Tag>
struct is_id<Id<Tag>> : std::true_type {};

template <class E>
std::string enum_choices() {
    std::vector<std::string_view> names;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
        names.push_back(d.name);
    });
    std::string out = "must be ";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
        out += names[i];
    }
    return out;
}

template <class T>
Result<void> read(const boost::json::value& v, const std::string& field, T& out);

/// A string of at most `max` bytes of UTF-8, with body.hpp's words for each refusal.
Result<std::string> read_text(
    const boost::json::value& v, const std::string& field, std::size_t max
);

/// A local date YYYY-MM-DD.
Result<std::chrono::year_month_day> read_date(
    const boost::json::value& v, const std::string& field
);
std::string format_date(std::chrono::year_month_day d);

/// A request struct of the API's own says what it needs in `static constexpr kRequired`;
/// the domain's structs described elsewhere through `Required<T>`.
template <class T>
constexpr auto required_names() {
    if constexpr (requires { T::kRequired; })
        return T::kRequired;
    else
        return Required<T>::names;
}

/// The object's members into `out`; a required member missing is refused unless `patch`
/// (the object changes some members of a whole `out`).
template <class T>
Result<void> read_object(
    const boost::json::object& o, const std::string& prefix, T& out, bool patch = false
) {
    using Members = boost::describe::
        describe_members<T, boost::describe::mod_public | boost::describe::mod_inherited>;
    for (const auto& kv : o) {
        bool known = false;
        boost::mp11::mp_for_each<Members>([&](auto d) { known = known || kv.key() == d.name; });
        if (!known) return Error::invalid(prefix + std::string(kv.key()), "is not a known field");
    }
    Result<void> done;
    boost::mp11::mp_for_each<Members>([&](auto d) {
        if (!done) return;
        const std::string field = prefix + d.name;
        if (const auto* v = o.if_contains(d.name)) {
            done = read(*v, field, out.*d.pointer);
            return;
        }
        if (!patch)
            for (const auto name : required_names<T>())
                if (name == d.name) done = Error::invalid(field, "is required");
    });
    return done;
}

template <class T>
Result<void> read(const boost::json::value& v, const std::string& field, T& out) {
    if constexpr (requires { Reader<T>::read(v, field, out); }) {
        YOYAKU_TRY(Reader<T>::read(v, field, out));
    } else if constexpr (is_optional<T>::value) {
        if (v.is_null()) {
            out.reset();
            return {};
        }
        typename T::value_type x{};
        YOYAKU_TRY(read(v, field, x));
        out = std::move(x);
    } else if constexpr (is_vector<T>::value) {
        if (!v.is_array()) return Error::invalid(field, "must be a list");
        out.clear();
        std::size_t i = 0;
        for (const auto& x : v.get_array()) {
            typename T::value_type item{};
            YOYAKU_TRY(read(x, field + "[" + std::to_string(i++) + "]", item));
            out.push_back(std::move(item));
        }
    } else if constexpr (is_map<T>::value) {
        if (!v.is_object()) return Error::invalid(field, "must be an object");
        out.clear();
        for (const auto& [key, x] : v.get_object()) {
            const std::string at = field + "." + std::string(key);
            if (key.size() > 64) return Error::invalid(at, "is not a known name");
            typename T::mapped_type item{};
            YOYAKU_TRY(read(x, at, item));
            out.emplace(std::string(key), std::move(item));
        }
    } else if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_bool()) return Error::invalid(field, "must be true or false");
        out = v.get_bool();
    } else if constexpr (std::is_same_v<T, int>) {
        if (!v.is_int64() || v.get_int64() < -1'000'000'000 || v.get_int64() > 1'000'000'000)
            return Error::invalid(field, "must be an integer");
        out = static_cast<int>(v.get_int64());
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
        if (!v.is_int64()) return Error::invalid(field, "must be an integer");
        out = v.get_int64();
    } else if constexpr (is_id<T>::value) {
        if (!v.is_int64() || v.get_int64() <= 0)
            return Error::invalid(field, "must be an id (a positive integer)");
        out = T(v.get_int64());
    } else if constexpr (std::is_same_v<T, std::string>) {
        YOYAKU_TRY_ASSIGN(out, read_text(v, field, kMaxString));
    } else if constexpr (is_text<T>::value) {
        YOYAKU_TRY_ASSIGN(out.value, read_text(v, field, is_text<T>::max));
    } else if constexpr (std::is_same_v<T, Instant>) {
        const auto t = v.is_string() ? parse_rfc3339(v.get_string()) : std::nullopt;
        if (!t)
            return Error::invalid(
                field, "must be an RFC 3339 time such as 2026-04-01T09:00:00+09:00"
            );
        out = *t;
    } else if constexpr (std::is_same_v<T, std::chrono::year_month_day>) {
        YOYAKU_TRY_ASSIGN(out, read_date(v, field));
    } else if constexpr (std::is_enum_v<T>) {
        bool found = false;
        if (v.is_string())
            boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto d) {
                if (!found && v.get_string() == d.name) {
                    out = d.value;
                    found = true;
                }
            });
        if (!found) return Error::invalid(field, enum_choices<T>());
    } else {
        static_assert(boost::describe::has_describe_members<T>::value, "describe this type");
        if (!v.is_object()) return Error::invalid(field, "must be an object");
        YOYAKU_TRY(read_object(v.get_object(), field + ".", out));
    }
    return {};
}

}  // namespace described

/// The request's body as a `T`: members by name, unknown ones refused, each refusal naming
/// its field. Errors: unsupported_media, invalid_input.
template <class T>
Result<T> read_body(const Request& req) {
    YOYAKU_TRY_ASSIGN(const auto o, json_body(req));
    T out{};
    YOYAKU_TRY(described::read_object(o, "", out));
    return out;
}

/// The request's body laid over `current`: the members it names replace theirs (null empties
/// an optional), the others keep their values — a PATCH. Errors as read_body.
template <class T>
Result<void> read_body_onto(const Request& req, T& current) {
    YOYAKU_TRY_ASSIGN(const auto o, json_body(req));
    T out = current;
    YOYAKU_TRY(described::read_object(o, "", out, true));
    current = std::move(out);
    return {};
}

/// A described value as JSON: members by name, ids as numbers, times in RFC 3339 (UTC),
/// enums by name, empty optionals as null.
template <class T>
boost::json::value to_json(const T& x) {
    using namespace described;
    if constexpr (is_optional<T>::value) {
        return x ? to_json(*x) : boost::json::value(nullptr);
    } else if constexpr (is_vector<T>::value) {
        boost::json::array a;
        for (const auto& item : x) a.push_back(to_json(item));
        return a;
    } else if constexpr (is_map<T>::value) {
        boost::json::object o;
        for (const auto& [key, item] : x) o[key] = to_json(item);
        return o;
    } else if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T>) {
        return boost::json::value(x);
    } else if constexpr (is_id<T>::value) {
        return boost::json::value(x.value);
    } else if constexpr (std::is_same_v<T, std::string>) {
        return boost::json::value(x);
    } else if constexpr (is_text<T>::value) {
        return boost::json::value(x.value);
    } else if constexpr (std::is_same_v<T, Instant>) {
        return boost::json::value(json_time(x));
    } else if constexpr (std::is_same_v<T, std::chrono::year_month_day>) {
        return boost::json::value(format_date(x));
    } else if constexpr (std::is_enum_v<T>) {
        const char* name = boost::describe::enum_to_string(x, "");
        return boost::json::value(name);
    } else {
        using Members = boost::describe::
            describe_members<T, boost::describe::mod_public | boost::describe::mod_inherited>;
        boost::json::object o;
        boost::mp11::mp_for_each<Members>([&](auto d) { o[d.name] = to_json(x.*d.pointer); });
        return o;
    }
}

}  // namespace yoyaku::http
