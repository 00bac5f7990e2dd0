#include "queries/search.hpp"

namespace govmap::queries {

db::Result search_mechanisms(db::Transaction& tx, const std::string& text, int limit, double min_score,
                             bool include_proposed)
{
    return tx.exec(R"(
        SELECT m.slug, m.name, m.acronym, m.scope::text AS scope, m.status::text AS status,
               to_char(s.score, 'FM0.00') AS score
          FROM search_mechanisms($1, $2::boolean, $3::integer) s JOIN mechanism m ON m.id = s.mechanism_id
         WHERE s.score >= $4::real
         ORDER BY s.score DESC, m.slug)",
                   {text, include_proposed ? "true" : "false", std::to_string(limit), std::to_string(min_score)});
}

}  // namespace govmap::queries
