#include "schema/db.hpp"

#include "schema/copy_text.hpp"
#include "schema/settings.hpp"

#include <libpq-fe.h>
#include <pqxx/pqxx>
// tablewriter is deprecated in 6.4 but it is the only public way to send raw
// COPY lines of a width known at run time (stream_to takes only tuples there).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <pqxx/tablewriter>
#pragma GCC diagnostic pop

#include <algorithm>

namespace govmap::db {

namespace {

std::string trimmed(std::string msg)
{
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
        msg.pop_back();
    return msg;
}

[[noreturn]] void rethrow(const std::string& context = {})
{
    try {
        throw;
    } catch (const pqxx::broken_connection& e) {
        throw ConnectionError(context + e.what());
    } catch (const pqxx::serialization_failure& e) {
        // 6.4 leaves sqlstate() empty on its transaction_rollback subclasses.
        throw Error(context + trimmed(e.what()), "40001");
    } catch (const pqxx::deadlock_detected& e) {
        throw Error(context + trimmed(e.what()), "40P01");
    } catch (const pqxx::transaction_rollback& e) {
        throw Error(context + trimmed(e.what()), "40000");
    } catch (const pqxx::insufficient_privilege& e) {
        // The same 6.4 gap: the subclass may come without its SQLSTATE.
        throw Error(context + trimmed(e.what()), e.sqlstate().empty() ? "42501" : e.sqlstate());
    } catch (const pqxx::sql_error& e) {
        throw Error(context + trimmed(e.what()), e.sqlstate());
    } catch (const pqxx::in_doubt_error& e) {
        throw ConnectionError(context + e.what());
    } catch (const pqxx::failure& e) {
        throw Error(context + e.what());
    } catch (const pqxx::usage_error& e) {
        throw Error(context + e.what());
    }
}

}  // namespace

const Value& Result::at(std::size_t r, std::string_view name) const
{
    auto it = std::find(columns.begin(), columns.end(), name);
    if (it == columns.end())
        throw std::out_of_range("no column " + std::string(name) + " in result");
    return rows.at(r).at(static_cast<std::size_t>(it - columns.begin()));
}

const std::string& Result::text(std::size_t r, std::string_view name) const
{
    const Value& v = at(r, name);
    if (!v)
        throw std::runtime_error("unexpected NULL in column " + std::string(name));
    return *v;
}

struct Connection::Impl {
    pqxx::connection conn;
    std::uint64_t statements = 0;
    explicit Impl(const std::string& conninfo) : conn(conninfo)
    {
        // The taxonomy and region closures are recursive views whose sizes
        // the planner overestimates a hundredfold, so it JIT-compiles short
        // report queries: 250 ms of compilation for 100 ms of work, two
        // thirds of a 10 000-mechanism gap report. govmap's statements are
        // all short; JIT (PostgreSQL 11 and later) is off in its sessions.
        if (conn.server_version() >= 110000) {
            pqxx::nontransaction t(conn);
            t.exec("SET jit = off");
        }
    }
};

struct Transaction::Impl {
    Connection::Impl& owner;
    std::unique_ptr<pqxx::transaction_base> tx;
};

struct CopyWriter::Impl {
    std::unique_ptr<pqxx::tablewriter> writer;
};

Connection::Connection(const std::string& conninfo)
{
    try {
        impl_ = std::make_unique<Impl>(conninfo);
    } catch (const std::exception& e) {
        // libpq does not print passwords, but a server- or proxy-supplied
        // message might echo the string; scrub it to be sure.
        throw ConnectionError("cannot connect to " + describe_conninfo(conninfo) + ": " +
                              scrub_password(e.what(), conninfo));
    }
}

std::string Connection::password_hash(const std::string& user, const std::string& password)
{
    // libpq wants a connection object for its error messages only; with the
    // algorithm named it asks the server nothing, so this one never connects.
    PGconn* pg = PQconnectStart("host=/nonexistent/govmap-no-server");
    if (!pg)
        throw Error("cannot hash the password: out of memory");
    char* hash = PQencryptPasswordConn(pg, password.c_str(), user.c_str(), "scram-sha-256");
    std::string message = hash ? std::string() : PQerrorMessage(pg);
    PQfinish(pg);
    if (!hash)
        throw Error("cannot hash the password: " + message);
    std::string out(hash);
    PQfreemem(hash);
    return out;
}

Connection::~Connection() = default;
Connection::Connection(Connection&&) noexcept = default;

Transaction Connection::begin(Isolation isolation)
{
    auto impl = std::make_unique<Transaction::Impl>(Transaction::Impl{*impl_, nullptr});
    try {
        switch (isolation) {
        case Isolation::serializable:
            impl->tx = std::make_unique<pqxx::transaction<pqxx::serializable>>(impl_->conn);
            break;
        case Isolation::repeatable_read:
            impl->tx = std::make_unique<pqxx::transaction<pqxx::repeatable_read>>(impl_->conn);
            break;
        case Isolation::snapshot:
            impl->tx = std::make_unique<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(impl_->conn);
            break;
        case Isolation::autocommit: impl->tx = std::make_unique<pqxx::nontransaction>(impl_->conn); break;
        default: impl->tx = std::make_unique<pqxx::work>(impl_->conn);
        }
    } catch (...) {
        rethrow();
    }
    ++impl_->statements;
    return Transaction(std::move(impl));
}

std::uint64_t Connection::statements_sent() const { return impl_->statements; }

std::string Connection::server_version() const
{
    int v = impl_->conn.server_version();
    return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

std::string Connection::database() const { return impl_->conn.dbname(); }

Transaction::Transaction(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transaction::~Transaction() = default;
Transaction::Transaction(Transaction&&) noexcept = default;

Result Transaction::exec(std::string_view sql, const Params& params)
{
    Result out;
    try {
        ++impl_->owner.statements;
        pqxx::result r = params.empty()
                             ? impl_->tx->exec(std::string(sql))
                             : impl_->tx->exec_params(std::string(sql), pqxx::prepare::make_dynamic_params(params));
        out.columns.reserve(static_cast<std::size_t>(r.columns()));
        for (pqxx::row::size_type c = 0; c < r.columns(); ++c)
            out.columns.emplace_back(r.column_name(c));
        out.rows.reserve(r.size());
        for (const auto& row : r) {
            std::vector<Value> fields;
            fields.reserve(row.size());
            for (const auto& f : row)
                fields.push_back(f.is_null() ? Value{} : Value{std::string(f.c_str(), f.size())});
            out.rows.push_back(std::move(fields));
        }
    } catch (...) {
        rethrow();
    }
    return out;
}

void Transaction::copy_out(std::string_view query, const std::function<void(const std::vector<Value>&)>& row)
{
    try {
        ++impl_->owner.statements;
        // stream_from's (tx, columns) constructor is broken in 6.4.5; the
        // query form pastes "(query)" into COPY ... TO STDOUT.
        pqxx::stream_from stream{*impl_->tx, "(" + std::string(query) + ")"};
        std::string line;
        while (stream.get_raw_line(line)) {
            if (!line.empty() && line.back() == '\n')
                line.pop_back();
            row(decode_copy_line(line));
        }
        stream.complete();
    } catch (...) {
        rethrow();
    }
}

CopyWriter Transaction::copy_in(std::string_view table, const std::vector<std::string>& columns)
{
    auto impl = std::make_unique<CopyWriter::Impl>();
    std::vector<std::string> quoted;
    quoted.reserve(columns.size());
    for (const auto& c : columns)
        quoted.push_back(impl_->tx->quote_name(c));
    try {
        ++impl_->owner.statements;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        impl->writer = std::make_unique<pqxx::tablewriter>(*impl_->tx, impl_->tx->quote_name(std::string(table)),
                                                           quoted.begin(), quoted.end());
#pragma GCC diagnostic pop
    } catch (...) {
        rethrow();
    }
    return CopyWriter(std::move(impl));
}

void Transaction::commit()
{
    try {
        impl_->tx->commit();
    } catch (...) {
        rethrow();
    }
}

void Transaction::abort() { impl_->tx->abort(); }

std::string Transaction::quote_name(std::string_view identifier) const
{
    return impl_->tx->quote_name(std::string(identifier));
}

CopyWriter::CopyWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CopyWriter::CopyWriter(CopyWriter&&) noexcept = default;
CopyWriter::~CopyWriter() = default;

void CopyWriter::write(const std::vector<Value>& row)
{
    try {
        impl_->writer->write_raw_line(encode_copy_line(row));
    } catch (...) {
        rethrow();
    }
}

void CopyWriter::write_encoded(const std::string& line)
{
    try {
        impl_->writer->write_raw_line(line);
    } catch (...) {
        rethrow();
    }
}

void CopyWriter::finish()
{
    try {
        impl_->writer->complete();
    } catch (...) {
        rethrow();
    }
}

}  // namespace govmap::db
