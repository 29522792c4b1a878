#pragma once
// A small builder for the report's HTML: escaping, tables of cells, and a page of sections, so
// that the report code says what goes where and the markup lives in one place.
#include <string>
#include <vector>

namespace regnet {

// HTML text; quotes are escaped only where they would end an attribute value.
std::string html_escape(const std::string& s, bool attribute = false);
// Bytes as base64 (RFC 4648, padded): an image inside the page as a data: URI.
std::string base64(const std::string& bytes);
// A gnuplot enhanced-text label as HTML: "w_0 (initial width)" -> "w<sub>0</sub> (initial width)".
std::string html_label(const std::string& label);

// One table cell; `html` is markup (escape text first).
struct HtmlCell {
  std::string html;
  bool header = false;  // <th> instead of <td>
  std::string css;      // class: "l" (left-aligned), "sig" (shaded), or ""
};
HtmlCell td(std::string html, std::string css = "");
HtmlCell th(std::string html, std::string css = "");

struct HtmlTable {
  std::string id;
  std::vector<std::vector<HtmlCell>> rows;  // the first is the header row
};

class HtmlPage {
 public:
  // Appends markup as it is.
  HtmlPage& raw(const std::string& html);
  HtmlPage& heading(const std::string& id, const std::string& html);  // <h2 id=...>
  HtmlPage& subheading(const std::string& html);                      // <h3>
  HtmlPage& meta(const std::string& html);                            // <p class="meta">
  HtmlPage& grid(const std::vector<std::string>& items_html);         // <div class="grid">
  HtmlPage& table(const HtmlTable& t);
  const std::string& html() const { return html_; }

 private:
  std::string html_;
};

}  // namespace regnet
