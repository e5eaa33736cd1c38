// The official account's rich menu (Messaging API "Rich menu"): made at LINE with the
// channel access token — the menu's areas (POST /v2/bot/richmenu), its picture (POST
// <data host>/v2/bot/richmenu/{id}/content, a PNG drawn by documents::menu_png), then the
// default for every friend (POST /v2/bot/user/all/richmenu/{id}); the one made before is
// deleted (DELETE /v2/bot/richmenu/{id}). Its id is a plain tenant setting.

#include <boost/json.hpp>

#include "documents/pdf.hpp"
#include "domain/line/line.hpp"
#include "domain/line/line_login.hpp"
#include "domain/tenants/tenant_setting_store.hpp"
#include "domain/tenants/tenant_store.hpp"

namespace yoyaku::line {
namespace {

using storage::ScopedTx;

constexpr std::string_view kMenuKey = "line.rich_menu";
// LINE's large menu: 2500 × 843 pixels, three areas across.
constexpr int kWidth = 2500;
constexpr int kHeight = 843;

Result<std::string> call(
    outbound::Transport& transport,
    std::string method,
    std::string url,
    const std::string& token,
    std::string body = {},
    std::string type = "application/json"
) {
    outbound::HttpCall c;
    c.method = std::move(method);
    c.url = std::move(url);
    c.body = std::move(body);
    c.headers = {{"Authorization", "Bearer " + token}, {"User-Agent", "Yoyaku-LINE/1"}};
    if (c.method == "POST") c.headers.emplace_back("Content-Type", std::move(type));
    YOYAKU_TRY_ASSIGN(auto reply, transport.send(c));
    if (reply.status >= 200 && reply.status < 300) return std::move(reply.body);
    if (reply.status == 429 || reply.status >= 500)
        return Error::unavailable("LINE answered HTTP " + std::to_string(reply.status));
    return Error{
        Errc::unprocessable,
        "LINE refused the rich menu: HTTP " + std::to_string(reply.status),
        "line",
        {}};
}

// The menu's areas, left to right, in the tenant's language.
boost::json::object menu(const std::string& site, bool ja) {
    const auto area = [](int x, int width, boost::json::object action) {
        return boost::json::object{
            {"bounds", {{"x", x}, {"y", 0}, {"width", width}, {"height", kHeight}}},
            {"action", std::move(action)}};
    };
    return {
        {"size", {{"width", kWidth}, {"height", kHeight}}},
        {"selected", true},
        {"name", "Yoyaku"},
        {"chatBarText", ja ? "予約メニュー" : "Bookings"},
        {"areas",
         boost::json::array{
             area(0, 833, {{"type", "uri"}, {"label", ja ? "予約する" : "Book"}, {"uri", site}}),
             area(
                 833,
                 834,
                 {{"type", "uri"}, {"label", ja ? "マイページ" : "My page"}, {"uri", site + "/me"}}
             ),
             area(
                 1667,
                 833,
                 {{"type", "postback"},
                  {"label", ja ? "予約の確認" : "My bookings"},
                  {"data", "action=upcoming"},
                  {"displayText", ja ? "予約の確認・キャンセル" : "My bookings"}}
             )}}};
}

}  // namespace

Result<RichMenu> LoginService::set_rich_menu(
    TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
) {
    std::optional<std::string> token;
    std::optional<tenants::Setting> before;
    std::optional<tenants::Setting> liff;
    tenants::Profile profile;
    YOYAKU_TRY(db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(token, open_setting(stx, keys_, "line.channel_token"));
        YOYAKU_TRY_ASSIGN(before, tenants::TenantSettingStore(stx).find(std::string(kMenuKey)));
        YOYAKU_TRY_ASSIGN(liff, tenants::TenantSettingStore(stx).find(std::string(kLiffIdSetting)));
        YOYAKU_TRY_ASSIGN(profile, tenants::TenantStore(stx).find_profile());
        return {};
    }));
    if (!token)
        return Error{Errc::unprocessable, "set the LINE channel access token first", "line", {}};
    const bool ja = profile.locale != "en";
    const auto& api = options_.api_base_url;
    YOYAKU_TRY_ASSIGN(
        const auto made,
        call(
            transport_,
            "POST",
            api + "/v2/bot/richmenu",
            *token,
            // With a LIFF app the menu opens the booking site inside LINE (LINE opens
            // https://liff.line.me/<id>/me as the endpoint with liff.state=/me).
            boost::json::serialize(menu(
                liff ? "https://liff.line.me/" + liff->value
                     : options_.public_url + "/t/" + profile.code,
                ja
            ))
        )
    );
    boost::system::error_code ec;
    const auto v = boost::json::parse(made, ec);
    const auto* id = ec || !v.is_object() ? nullptr : v.get_object().if_contains("richMenuId");
    if (!id || !id->is_string() || id->get_string().empty() || id->get_string().size() > 100)
        return Error::unavailable("LINE gave no rich menu id");
    const std::string menu_id(id->get_string());
    YOYAKU_TRY_ASSIGN(
        const auto png,
        documents::menu_png(
            kWidth,
            kHeight,
            ja ? std::vector<std::string>{"予約する", "マイページ", "予約の確認・キャンセル"}
               : std::vector<std::string>{"Book", "My page", "My bookings"}
        )
    );
    YOYAKU_TRY(call(
        transport_,
        "POST",
        options_.data_base_url + "/v2/bot/richmenu/" + menu_id + "/content",
        *token,
        png,
        "image/png"
    ));
    YOYAKU_TRY(call(transport_, "POST", api + "/v2/bot/user/all/richmenu/" + menu_id, *token));
    // The menu made before goes (one LINE no longer knows is gone already).
    if (before && before->value != menu_id) {
        auto gone = call(transport_, "DELETE", api + "/v2/bot/richmenu/" + before->value, *token);
        if (!gone && gone.error().code == Errc::unavailable) return fail(gone.error());
    }
    const Instant now = clock_.now();
    YOYAKU_TRY(db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(tenants::TenantSettingStore(stx).upsert(std::string(kMenuKey), menu_id, now));
        YOYAKU_TRY(audit::append(stx, actor, origin, {"line.rich_menu_set", "line:rich_menu"}, now)
        );
        return {};
    }));
    return RichMenu{menu_id, now};
}

Result<std::optional<RichMenu>> LoginService::rich_menu(TenantId tenant) {
    return db_.read(
        storage::TenantScope(tenant),
        [](ScopedTx& stx) -> Result<std::optional<RichMenu>> {
            YOYAKU_TRY_ASSIGN(
                const auto s, tenants::TenantSettingStore(stx).find(std::string(kMenuKey))
            );
            if (!s) return std::optional<RichMenu>();
            return std::optional<RichMenu>(RichMenu{s->value, s->updated_at});
        }
    );
}

Result<void> LoginService::remove_rich_menu(
    TenantId tenant, const audit::Actor& actor, const audit::Origin& origin
) {
    std::optional<std::string> token;
    std::optional<tenants::Setting> menu_set;
    YOYAKU_TRY(db_.read(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY_ASSIGN(token, open_setting(stx, keys_, "line.channel_token"));
        YOYAKU_TRY_ASSIGN(menu_set, tenants::TenantSettingStore(stx).find(std::string(kMenuKey)));
        return {};
    }));
    if (!menu_set) return {};
    if (token) {
        auto gone = call(
            transport_,
            "DELETE",
            options_.api_base_url + "/v2/bot/richmenu/" + menu_set->value,
            *token
        );
        if (!gone && gone.error().code == Errc::unavailable) return fail(gone.error());
    }
    const Instant now = clock_.now();
    return db_.write(storage::TenantScope(tenant), [&](ScopedTx& stx) -> Result<void> {
        YOYAKU_TRY(tenants::TenantSettingStore(stx).remove(std::string(kMenuKey)));
        YOYAKU_TRY(
            audit::append(stx, actor, origin, {"line.rich_menu_removed", "line:rich_menu"}, now)
        );
        return {};
    });
}

}  // namespace yoyaku::line
