#pragma once
// report.md: a readable rendering of report.json for review in a pull request, and the short
// summary the CLI prints after a run.

#include <nlohmann/json.hpp>

#include <string>

namespace convaudit::reports {

std::string render_markdown(const nlohmann::json& report);
// A few lines for the terminal: conversations, messages, findings by severity, incidents,
// quality mean, rejects.
std::string render_summary_text(const nlohmann::json& report);

}  // namespace convaudit::reports
