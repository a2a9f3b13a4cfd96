package io.wharf.server.badge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class BadgeSvgTest {
  private final BadgeSvg svg = new BadgeSvg(TextWidths.dejaVuSans());

  /** Parses as namespace-aware XML; a badge that is not well-formed fails here. */
  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  static List<String> texts(Document d) {
    NodeList nodes = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      if (!"true".equals(e.getAttribute("aria-hidden"))) {
        out.add(e.getTextContent());
      }
    }
    return out;
  }

  @Test
  void aBadgeIsAnSvgImageWithATitleAndAnAccessibleNameThatSayWhatItShows() throws Exception {
    Badge b = svg.render("conda-forge", "1.26.4", "#007ec6");
    Document d = parse(b.svg());
    Element root = d.getDocumentElement();
    assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getAttribute("role")).isEqualTo("img");
    assertThat(root.getAttribute("aria-label")).isEqualTo("conda-forge: 1.26.4");
    assertThat(d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent())
        .isEqualTo("conda-forge: 1.26.4");
    assertThat(texts(d)).containsExactly("conda-forge", "1.26.4");
  }

  @Test
  void eachHalfIsItsTextWidthFromTheFontTablePlusPadding() throws Exception {
    TextWidths w = TextWidths.dejaVuSans();
    Badge narrow = svg.render("license", "iii", "#007ec6");
    Badge wide = svg.render("license", "WWW", "#007ec6");
    int labelHalf = (int) Math.ceil(w.width("license", 11)) + 10;
    assertThat(width(narrow)).isEqualTo(labelHalf + (int) Math.ceil(w.width("iii", 11)) + 10);
    assertThat(width(wide)).isEqualTo(labelHalf + (int) Math.ceil(w.width("WWW", 11)) + 10);
    // textLength pins the text to the measured width whatever font the viewer falls back to.
    Element message = (Element) parse(wide.svg()).getElementsByTagNameNS("http://www.w3.org/2000/svg", "text").item(3);
    assertThat(Double.parseDouble(message.getAttribute("textLength"))).isEqualTo(
        Math.round(w.width("WWW", 11) * 10) / 10.0);
  }

  @Test
  void markupInTheTextIsEscapedAndCharactersXmlCannotCarryAreReplaced() throws Exception {
    Badge b = svg.render("license", "<script>\"a\" & 'b'</script>\u0001\uFFFF", "#007ec6\"/><x y=\"");
    Document d = parse(b.svg());
    assertThat(texts(d)).containsExactly("license", "<script>\"a\" & 'b'</script> \uFFFD");
    assertThat(d.getElementsByTagName("script").getLength()).isZero();
    assertThat(d.getElementsByTagName("x").getLength()).isZero();
  }

  @Test
  void aLongTextIsCutWithAnEllipsis() throws Exception {
    Badge b = svg.render("license", "word ".repeat(40), "#007ec6");
    String message = texts(parse(b.svg())).get(1);
    assertThat(message).endsWith("…").hasSizeLessThanOrEqualTo(BadgeSvg.MAX_CODE_POINTS);
  }

  private static int width(Badge b) throws Exception {
    return Integer.parseInt(parse(b.svg()).getDocumentElement().getAttribute("width"));
  }
}
