#pragma once
// report.html: one self-contained page an auditor reads in a browser and prints. Inline CSS and
// inline SVG charts only: no scripts, no fonts, no images, nothing fetched from anywhere.
//
// Rendered from report.json (the signed document), so every figure on the page is a figure of
// the report; sessions appear by id only, never with message text. Every string from the
// report is HTML-escaped.

#include <string>

#include <nlohmann/json.hpp>

namespace convaudit::reports {

std::string render_html(const nlohmann::json& report);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace convaudit::reports
