#pragma once
// Records read from files, before they reach the database (internal).
#include "importer/importer.hpp"
#include "importer/records.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace govmap::importer {

struct Row {
    std::string file;
    std::string loc;                ///< "12" (CSV line) or "/mechanisms/3" (JSON pointer)
    std::vector<db::Value> values;  ///< by field of the record type
    std::vector<bool> present;      ///< the field was a column (or JSON key) of the input
    bool derived = false;           ///< made up by the reader (a source known only by its URL)
};

/// Problems kept in full; beyond this many they are only counted.
constexpr std::size_t max_problems = 1000;

/// What the readers produce: each record is handed on as soon as it is read
/// (to the staging tables, see load.cpp), or kept in `rows` when nothing takes it.
struct Batch {
    std::function<void(const RecordType&, Row&&)> sink;
    std::map<std::string, std::vector<Row>> rows;  ///< by record type name, when there is no sink
    std::vector<Problem> problems;
    std::size_t omitted_problems = 0;  ///< found beyond max_problems
    std::size_t records = 0;

    /// FILE:LINE:FIELD or FILE:/pointer/FIELD.
    static std::string where(const std::string& file, const std::string& loc, const std::string& field = {});
    void problem(const std::string& file, const std::string& loc, const std::string& field, std::string message)
    {
        add(Problem{where(file, loc, field), std::move(message)});
    }
    void add(Problem p)
    {
        if (problems.size() < max_problems)
            problems.push_back(std::move(p));
        else
            ++omitted_problems;
    }
    std::size_t problem_count() const { return problems.size() + omitted_problems; }

    /// Checks the rules within one record and hands it on.
    void emit(const RecordType& type, Row&& row);
};

/// Parses one file into `batch`, recording every problem found in it.
/// Throws std::runtime_error when the file cannot be read.
void read_into(Batch& batch, const InputFile& file);

}  // namespace govmap::importer
