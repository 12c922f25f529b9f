#pragma once
// report.md: a readable rendering of report.json for review in a pull request, and the short
// summary the CLI prints after a run.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/rulehost/rule_runner.h"

namespace convaudit::reports {

std::string render_markdown(const nlohmann::json& report);
// As above, with each rule's CPU time in the per-rule cost table. CPU time differs between
// runs, so report.json leaves it out and only report.md shows it; pass the run's RuleCosts.
std::string render_markdown(const nlohmann::json& report,
                            const std::vector<rulehost::RuleCost>& rule_costs);
// A few lines for the terminal: conversations, messages, findings by severity, incidents,
// quality mean, rejects.
std::string render_summary_text(const nlohmann::json& report);

}  // namespace convaudit::reports
