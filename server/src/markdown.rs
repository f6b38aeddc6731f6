//! Legal documents arrive as Markdown files the operator controls. They are rendered to HTML
//! once, at publication, with pulldown-cmark. Raw HTML in the source is shown as text, links
//! may only point to http(s), mailto or this site, and images are reduced to their text, so a
//! document cannot carry a script or load anything from elsewhere (the CSP would refuse it).

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The page's own `<h1>` is the document's name: the operator's headings move one level down.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

fn safe_link(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "/", "#"]
        .iter()
        .any(|p| lower.starts_with(p))
        && !lower.starts_with("//")
}

pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES;
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
        // The image's alt text stays, as plain text.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if safe_link(&dest_url) {
                dest_url
            } else {
                CowStr::from("#")
            };
            Some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_headings_lists_and_links() {
        let html = to_html("# Terms\n\n- one\n- two\n\nSee [our site](https://example.com).");
        assert!(html.contains("<h2>Terms</h2>"), "{html}");
        assert!(html.contains("<li>one</li>"));
        assert!(html.contains(r#"<a href="https://example.com">our site</a>"#));
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Hello <script>alert(1)</script>\n\n<div onclick=x>block</div>");
        assert!(!html.contains("<script"));
        assert!(!html.contains("<div"));
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn dangerous_links_and_images_are_neutralised() {
        let html = to_html("[x](javascript:alert(1)) [y](//evil.example) ![logo](https://evil.example/t.png)");
        assert!(!html.contains("javascript:"));
        assert!(!html.contains("evil.example"));
        assert!(html.contains(r##"<a href="#">x</a>"##));
        assert!(html.contains("logo"));
        assert!(!html.contains("<img"));
    }
}
