#include "core/report/html_page.hpp"

#include <cstdint>

#include "core/base/text.hpp"

namespace regnet {

std::string html_escape(const std::string& s, bool attribute) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      default: out += c;
    }
  }
  return out;
}

std::string base64(const std::string& bytes) {
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t left = bytes.size() - i;
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (left > 1) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (left > 2) v |= static_cast<unsigned char>(bytes[i + 2]);
    out += digits[(v >> 18) & 63];
    out += digits[(v >> 12) & 63];
    out += left > 1 ? digits[(v >> 6) & 63] : '=';
    out += left > 2 ? digits[v & 63] : '=';
  }
  return out;
}

std::string html_label(const std::string& label) {
  std::string out;
  for (size_t i = 0; i < label.size(); ++i) {
    if (label[i] == '_' && i + 1 < label.size())
      out += "<sub>" + html_escape(std::string(1, label[++i])) + "</sub>";
    else
      out += html_escape(std::string(1, label[i]));
  }
  return out;
}

HtmlCell td(std::string html, std::string css) { return {std::move(html), false, std::move(css)}; }

HtmlCell th(std::string html, std::string css) { return {std::move(html), true, std::move(css)}; }

HtmlPage& HtmlPage::raw(const std::string& html) {
  html_ += html;
  return *this;
}

HtmlPage& HtmlPage::heading(const std::string& id, const std::string& html) {
  return raw("<h2 id=\"" + html_escape(id, true) + "\">" + html + "</h2>\n");
}

HtmlPage& HtmlPage::subheading(const std::string& html) { return raw("<h3>" + html + "</h3>\n"); }

HtmlPage& HtmlPage::meta(const std::string& html) { return raw("<p class=\"meta\">" + html + "</p>\n"); }

HtmlPage& HtmlPage::grid(const std::vector<std::string>& items_html) {
  return raw("<div class=\"grid\">" + join(items_html, "") + "</div>\n");
}

HtmlPage& HtmlPage::table(const HtmlTable& t) {
  raw("<table id=\"" + html_escape(t.id, true) + "\">\n");
  for (const auto& row : t.rows) {
    raw("<tr>");
    for (const auto& c : row) {
      const char* tag = c.header ? "th" : "td";
      raw(std::string("<") + tag + (c.css.empty() ? "" : " class=\"" + c.css + "\"") + ">" + c.html + "</" + tag + ">");
    }
    raw("</tr>\n");
  }
  return raw("</table>\n");
}

}  // namespace regnet
