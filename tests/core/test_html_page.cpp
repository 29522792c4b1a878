// The report's HTML builder: escaping, labels, tables, sections.
#include <catch2/catch.hpp>

#include "core/report/html_page.hpp"

using namespace regnet;

TEST_CASE("html page: text and attribute escaping, paper labels with subscripts", "[report]") {
  CHECK(html_escape("a<b & \"c\">") == "a&lt;b &amp; \"c\"&gt;");
  CHECK(html_escape("\"x\"", true) == "&quot;x&quot;");
  CHECK(html_label("w_0 (initial width)") == "w<sub>0</sub> (initial width)");
  CHECK(html_label("d_2 <x> & y_") == "d<sub>2</sub> &lt;x&gt; &amp; y_");
}

TEST_CASE("html page: tables of header and data cells, headings, grids, meta lines", "[report]") {
  HtmlTable t{"fits", {{th("sweep", "l"), th("id")}, {td("xa", "l"), td("3", "sig")}}};
  HtmlPage page;
  page.heading("widths", "Widths")
      .grid({"<figure>a</figure>", "<figure>b</figure>"})
      .table(t)
      .subheading("More")
      .meta("n = 3");
  CHECK(page.html() ==
        "<h2 id=\"widths\">Widths</h2>\n"
        "<div class=\"grid\"><figure>a</figure><figure>b</figure></div>\n"
        "<table id=\"fits\">\n<tr><th class=\"l\">sweep</th><th>id</th></tr>\n"
        "<tr><td class=\"l\">xa</td><td class=\"sig\">3</td></tr>\n</table>\n"
        "<h3>More</h3>\n<p class=\"meta\">n = 3</p>\n");
}
