//! Short notices in the account's language: a greeting, paragraphs, at most one link, as plain
//! text and as HTML (escaped).

use crate::db::mail_queue::OutgoingMail;
use app::i18n::Lang;

pub struct Notice<'a> {
    pub to: &'a str,
    pub username: &'a str,
    pub lang: Lang,
    pub subject: &'a str,
    pub paragraphs: &'a [&'a str],
    /// Shown after the paragraphs: a sentence and the link it leads to.
    pub link: Option<(&'a str, &'a str)>,
}

pub fn notice(n: Notice<'_>) -> OutgoingMail {
    let hello = match n.lang {
        Lang::Fr => format!("Bonjour {},", n.username),
        Lang::En => format!("Hello {},", n.username),
    };
    let mut text = format!("{hello}\n\n");
    let mut html = format!("<p>{}</p>\n", escape(&hello));
    for paragraph in n.paragraphs {
        text.push_str(&format!("{paragraph}\n\n"));
        html.push_str(&format!("<p>{}</p>\n", escape(paragraph)));
    }
    if let Some((sentence, url)) = n.link {
        text.push_str(&format!("{sentence}\n{url}\n"));
        html.push_str(&format!(
            "<p>{} <a href=\"{url}\">{url}</a></p>\n",
            escape(sentence),
            url = escape(url)
        ));
    }
    OutgoingMail {
        to: n.to.into(),
        subject: n.subject.into(),
        text,
        html,
    }
}

pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_and_text_is_plain() {
        let mail = notice(Notice {
            to: "a@example.com",
            username: "<b>",
            lang: Lang::En,
            subject: "S",
            paragraphs: &["x < y"],
            link: Some(("Go:", "https://example.com/?a=1&b=2")),
        });
        assert!(mail.text.contains("Hello <b>,") && mail.text.contains("x < y"));
        assert!(mail.html.contains("&lt;b&gt;") && mail.html.contains("x &lt; y"));
        assert!(mail.html.contains("a=1&amp;b=2"));
    }
}
