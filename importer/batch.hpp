#pragma once
// Records read from files, before they reach the database (internal).
#include "importer/importer.hpp"
#include "importer/records.hpp"

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

struct Batch {
    std::map<std::string, std::vector<Row>> rows;  ///< by record type name
    std::vector<Problem> problems;
    std::size_t records = 0;

    /// FILE:LINE:FIELD or FILE:/pointer/FIELD.
    static std::string where(const std::string& file, const std::string& loc, const std::string& field = {});
    void problem(const std::string& file, const std::string& loc, const std::string& field, std::string message)
    {
        problems.push_back({where(file, loc, field), std::move(message)});
    }
};

/// Parses one file into `batch`, recording every problem found in it.
void read_into(Batch& batch, const InputFile& file);

}  // namespace govmap::importer
