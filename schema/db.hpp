#pragma once
// The one thin layer over libpqxx. Nothing outside schema/db.cpp includes pqxx,
// so a libpqxx upgrade (6.4 -> 7) touches one file.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace govmap::db {

/// A field as PostgreSQL's text format gives it; nullopt is SQL NULL.
using Value = std::optional<std::string>;
using Params = std::vector<Value>;

/// Any error reported by the server or by libpq. `sqlstate` is empty for
/// client-side failures. Messages never contain a password.
class Error : public std::runtime_error {
public:
    Error(const std::string& message, std::string sqlstate = {})
        : std::runtime_error(message), sqlstate_(std::move(sqlstate))
    {
    }
    const std::string& sqlstate() const { return sqlstate_; }
    /// Class 40: serialization failure or deadlock; the transaction may be retried.
    bool retryable() const { return sqlstate_.rfind("40", 0) == 0; }

private:
    std::string sqlstate_;
};

/// The server could not be reached or the connection was lost.
class ConnectionError : public Error {
public:
    using Error::Error;
};

struct Result {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;

    bool empty() const { return rows.empty(); }
    std::size_t size() const { return rows.size(); }
    /// Field of row `r` in column `name`; throws if the column does not exist.
    const Value& at(std::size_t r, std::string_view name) const;
    /// Non-NULL text of a field; throws on NULL.
    const std::string& text(std::size_t r, std::string_view name) const;
};

/// `autocommit` runs each statement on its own (needed for CREATE DATABASE).
/// `snapshot` is REPEATABLE READ READ ONLY: every statement of a command that
/// only reads sees one snapshot of the map. `repeatable_read` is the same
/// snapshot for a command that also writes temporary tables (exports).
enum class Isolation { read_committed, repeatable_read, snapshot, serializable, autocommit };

class Connection;

/// COPY ... FROM STDIN into a table of the current transaction. Finish with
/// finish(); destroying an unfinished writer abandons the COPY (and with it
/// the transaction).
class CopyWriter {
public:
    ~CopyWriter();
    CopyWriter(CopyWriter&&) noexcept;
    void write(const std::vector<Value>& row);
    /// One line already encoded by encode_copy_line (schema/copy_text.hpp).
    void write_encoded(const std::string& line);
    void finish();

private:
    friend class Transaction;
    struct Impl;
    explicit CopyWriter(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> impl_;
};

class Transaction {
public:
    ~Transaction();
    Transaction(Transaction&&) noexcept;

    /// Runs one statement with $1..$n bound to `params` (never pasted into the text).
    Result exec(std::string_view sql, const Params& params = {});
    /// Streams `COPY (query) TO STDOUT`, one decoded row at a time. `query`
    /// must be program text, never user input: COPY takes no parameters.
    void copy_out(std::string_view query, const std::function<void(const std::vector<Value>&)>& row);
    /// Starts `COPY table (columns) FROM STDIN`. Names are quoted here.
    CopyWriter copy_in(std::string_view table, const std::vector<std::string>& columns);
    void commit();
    void abort();
    std::string quote_name(std::string_view identifier) const;

private:
    friend class Connection;
    struct Impl;
    explicit Transaction(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> impl_;
};

class Connection {
public:
    /// Opens a connection from a libpq URI or key=value string ("" = libpq's
    /// defaults and PG* environment). Throws ConnectionError with a redacted message.
    explicit Connection(const std::string& conninfo);
    ~Connection();
    Connection(Connection&&) noexcept;

    Transaction begin(Isolation isolation = Isolation::read_committed);

    /// Runs `work` in a fresh transaction and commits it, retrying up to
    /// `attempts` times when the server reports a serialization failure or deadlock.
    template <typename F>
    auto in_transaction(F&& work, Isolation isolation = Isolation::read_committed, int attempts = 5)
    {
        for (int attempt = 1;; ++attempt) {
            try {
                auto tx = begin(isolation);
                if constexpr (std::is_void_v<decltype(work(tx))>) {
                    work(tx);
                    tx.commit();
                    return;
                } else {
                    auto out = work(tx);
                    tx.commit();
                    return out;
                }
            } catch (const Error& e) {
                if (!e.retryable() || attempt >= attempts)
                    throw;
            }
        }
    }

    /// Statements sent through this connection so far (including COPY).
    /// Lets tests prove that a bulk path does not issue a query per row.
    std::uint64_t statements_sent() const;
    std::string server_version() const;
    /// The SCRAM-SHA-256 verifier of `password` for role `user`, computed here
    /// by libpq, so that the clear text never reaches the server or its logs.
    static std::string password_hash(const std::string& user, const std::string& password);
    /// The database this connection ended up on.
    std::string database() const;

private:
    friend class Transaction;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace govmap::db
