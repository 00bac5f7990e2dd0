#include "schema/settings.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>

namespace govmap::db {

namespace {

const char* const libpq_variables[] = {
    "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGSERVICEFILE", "PGSSLMODE",
};

std::string env_or_empty(const char* name)
{
    const char* v = std::getenv(name);
    return v ? v : "";
}

/// The options libpq would use for `conninfo`: explicitly given ones, then
/// those taken from the environment. Defaults libpq would invent are left out.
std::map<std::string, std::string> effective_options(const std::string& conninfo)
{
    std::map<std::string, std::string> out;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> defaults(PQconndefaults(), PQconninfoFree);
    for (auto* o = defaults.get(); o && o->keyword; ++o)
        if (o->envvar && !env_or_empty(o->envvar).empty())
            out[o->keyword] = env_or_empty(o->envvar);
    char* err = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> parsed(PQconninfoParse(conninfo.c_str(), &err),
                                                                        PQconninfoFree);
    if (err)
        PQfreemem(err);
    for (auto* o = parsed.get(); o && o->keyword; ++o)
        if (o->val && *o->val)
            out[o->keyword] = o->val;
    return out;
}

}  // namespace

bool libpq_environment_present()
{
    for (const char* v : libpq_variables)
        if (!env_or_empty(v).empty())
            return true;
    return false;
}

Target resolve_target(const std::optional<std::string>& flag)
{
    if (flag)
        return {Origin::flag, *flag};
    if (auto v = env_or_empty("GOVMAP_DB"); !v.empty())
        return {Origin::govmap_env, v};
    if (libpq_environment_present())
        return {Origin::libpq_env, ""};
    return {Origin::embedded, ""};
}

std::string with_login(const std::string& conninfo, const std::string& user, const std::string& password)
{
    char* err = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> parsed(PQconninfoParse(conninfo.c_str(), &err),
                                                                        PQconninfoFree);
    if (err)
        PQfreemem(err);
    if (!parsed)
        throw std::invalid_argument("the connection string cannot be parsed");
    // key='value', with \ and ' escaped as libpq's parser expects.
    auto pair = [](const std::string& key, const std::string& value) {
        std::string out = key + "='";
        for (char c : value) {
            if (c == '\\' || c == '\'')
                out += '\\';
            out += c;
        }
        return out + "' ";
    };
    std::string out;
    for (auto* o = parsed.get(); o && o->keyword; ++o) {
        std::string key = o->keyword;
        if (key != "user" && key != "password" && o->val && *o->val)
            out += pair(key, o->val);
    }
    return out + pair("user", user) + pair("password", password);
}

const char* origin_name(Origin origin)
{
    switch (origin) {
    case Origin::flag: return "--db";
    case Origin::govmap_env: return "GOVMAP_DB";
    case Origin::libpq_env: return "libpq environment";
    case Origin::embedded: return "embedded";
    }
    return "?";
}

std::string uri_encode(const std::string& text)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string describe_conninfo(const std::string& conninfo)
{
    auto opts = effective_options(conninfo);
    opts.erase("password");
    std::string uri = "postgresql://";
    auto take = [&](const char* key) {
        auto it = opts.find(key);
        if (it == opts.end())
            return std::string{};
        std::string v = it->second;
        opts.erase(it);
        return v;
    };
    std::string user = take("user");
    std::string host = take("host");
    std::string port = take("port");
    std::string dbname = take("dbname");
    if (!user.empty())
        uri += uri_encode(user) + "@";
    // A socket directory or several hosts cannot be the URI's authority part.
    bool host_in_query = !host.empty() && (host[0] == '/' || host.find(',') != std::string::npos);
    if (!host.empty() && !host_in_query)
        uri += host.find(':') != std::string::npos ? "[" + host + "]" : uri_encode(host);
    if (!port.empty() && !host_in_query)
        uri += ":" + uri_encode(port);
    uri += "/" + uri_encode(dbname);
    if (host_in_query)
        opts["host"] = host;
    if (host_in_query && !port.empty())
        opts["port"] = port;
    char sep = '?';
    for (const auto& [k, v] : opts) {
        uri += sep + k + "=" + uri_encode(v);
        sep = '&';
    }
    return uri;
}

std::string scrub_password(std::string message, const std::string& conninfo)
{
    auto opts = effective_options(conninfo);
    std::string secrets[] = {opts.count("password") ? opts["password"] : "", env_or_empty("PGPASSWORD")};
    for (const auto& secret : secrets) {
        if (secret.empty())
            continue;
        for (auto pos = message.find(secret); pos != std::string::npos; pos = message.find(secret, pos + 3))
            message.replace(pos, secret.size(), "***");
    }
    return message;
}

}  // namespace govmap::db
