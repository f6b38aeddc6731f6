//! Invoices as PDF, with the mentions a French invoice must carry (CGI ann. II art. 242 nonies
//! A, Code de commerce L441-9): number, issue date, period, seller (name, address, SIREN, VAT
//! number), buyer, a price excluding VAT per line, the VAT rate and amount, both totals, the
//! due date, the late-payment rate and the 40 € recovery fee, and "Autoliquidation" where the
//! buyer accounts for the VAT. Written in French, the document's legal language.
//!
//! printpdf with the built-in Helvetica: its WinAnsi encoding has €, accents and the dashes,
//! so no font file ships with the server.

use super::money::{amount_fr, euros_fr};
use super::vat::Mention;
use crate::db::billing::StoredInvoice;
use printpdf::{BuiltinFont, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem};

pub(super) const PAGE_WIDTH: f32 = 210.0;
pub(super) const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 20.0;
/// Below this the next line goes on a new page.
const BOTTOM: f32 = 25.0;

/// Pages of text lines, written top to bottom.
pub(super) struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
}

#[derive(Clone, Copy)]
pub(super) enum Weight {
    Regular,
    Bold,
}

impl Layout {
    pub(super) fn new() -> Layout {
        Layout {
            pages: vec![Vec::new()],
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    pub(super) fn into_pages(self) -> Vec<Vec<Op>> {
        self.pages
    }

    fn page(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Text at `x` mm on the current line.
    pub(super) fn put(&mut self, x: f32, size: f32, weight: Weight, text: &str) {
        let font = match weight {
            Weight::Regular => BuiltinFont::Helvetica,
            Weight::Bold => BuiltinFont::HelveticaBold,
        };
        let y = self.y;
        self.page().extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(x), Mm(y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    /// Moves down by `mm`, onto a new page when the bottom is reached.
    pub(super) fn down(&mut self, mm: f32) {
        self.y -= mm;
        if self.y < BOTTOM {
            self.pages.push(Vec::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }

    pub(super) fn line(&mut self, size: f32, weight: Weight, text: &str) {
        self.put(MARGIN, size, weight, text);
        self.down(size * 0.45);
    }

    /// Long text cut at spaces to fit the page (Helvetica averages about half its size wide).
    pub(super) fn paragraph(&mut self, size: f32, text: &str) {
        let per_line = ((PAGE_WIDTH - 2.0 * MARGIN) / (size * 0.19)) as usize;
        for source_line in text.lines() {
            let mut current = String::new();
            for word in source_line.split_whitespace() {
                if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > per_line {
                    self.line(size, Weight::Regular, &current);
                    current.clear();
                }
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
            }
            self.line(size, Weight::Regular, &current);
        }
    }
}

pub(super) fn date_fr(unix: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!("{:02}/{:02}/{}", at.day(), u8::from(at.month()), at.year())
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `2026-11` → `novembre 2026`.
pub fn month_fr(month: &str) -> String {
    match super::money::Month::parse(month) {
        Some(m) => format!("{} {}", MONTHS_FR[usize::from(m.month - 1) % 12], m.year),
        None => month.to_string(),
    }
}

/// A rate in per mille as French writes it: 200 → `20 %`, 255 → `25,5 %`.
pub fn rate_fr(permille: i64) -> String {
    if permille % 10 == 0 {
        format!("{} %", permille / 10)
    } else {
        format!("{},{} %", permille / 10, permille % 10)
    }
}

pub fn invoice_pdf(invoice: &StoredInvoice) -> Vec<u8> {
    let mut page = Layout::new();
    page.line(18.0, Weight::Bold, &format!("Facture n° {}", invoice.number));
    page.down(2.0);
    page.line(
        10.0,
        Weight::Regular,
        &format!("Date d’émission : {}", date_fr(invoice.issued_at)),
    );
    page.line(
        10.0,
        Weight::Regular,
        &format!("Période facturée : {}", month_fr(&invoice.month)),
    );
    page.line(
        10.0,
        Weight::Regular,
        &format!("Échéance : {}", date_fr(invoice.due_at)),
    );
    page.down(4.0);

    let seller = &invoice.seller;
    page.line(11.0, Weight::Bold, "Vendeur");
    page.line(10.0, Weight::Regular, &seller.name);
    for address_line in &seller.address {
        page.line(10.0, Weight::Regular, address_line);
    }
    page.line(10.0, Weight::Regular, &format!("SIREN : {}", seller.siren));
    page.line(
        10.0,
        Weight::Regular,
        &format!("N° TVA intracommunautaire : {}", seller.vat_number),
    );
    page.down(4.0);

    let buyer = &invoice.buyer;
    page.line(11.0, Weight::Bold, "Client");
    for buyer_line in buyer.lines() {
        page.line(10.0, Weight::Regular, &buyer_line);
    }
    page.down(4.0);

    let columns = [MARGIN, 95.0, 120.0, 155.0];
    let headings = ["Application", "Heures", "Prix unitaire HT", "Montant HT"];
    for (x, heading) in columns.iter().zip(headings) {
        page.put(*x, 10.0, Weight::Bold, heading);
    }
    page.down(6.0);
    for line in &invoice.lines {
        let cells = [
            line.app_name.clone(),
            line.hours.to_string(),
            euros_fr(line.unit_price_cents),
            euros_fr(line.price_cents),
        ];
        for (x, cell) in columns.iter().zip(&cells) {
            page.put(*x, 10.0, Weight::Regular, cell);
        }
        page.down(5.0);
    }
    page.down(4.0);
    let vat_label = format!("TVA {}", rate_fr(invoice.vat_rate_permille));
    let totals = [
        ("Total HT", invoice.total_cents, Weight::Regular),
        (vat_label.as_str(), invoice.vat_cents, Weight::Regular),
        ("Total TTC", invoice.total_with_vat_cents, Weight::Bold),
    ];
    for (label, cents, weight) in totals {
        page.put(120.0, 10.0, weight, label);
        page.put(155.0, 10.0, weight, &format!("{} €", amount_fr(cents)));
        page.down(5.0);
    }
    page.down(4.0);
    match Mention::from_code(&invoice.vat_mention) {
        Mention::ReverseCharge => page.paragraph(
            9.0,
            "Autoliquidation : TVA due par le preneur (article 283-2 du CGI, article 196 de la directive 2006/112/CE).",
        ),
        Mention::OutsideEu => page.paragraph(9.0, "TVA non applicable, article 259 B du CGI."),
        Mention::Standard => {}
    }
    let state = match (invoice.state.as_str(), invoice.paid_at) {
        ("paid", Some(at)) => format!(
            "Payée le {} ({}).",
            date_fr(at),
            payment_method_fr(&invoice.payment_method)
        ),
        ("failed", _) => "Paiement refusé : à régler.".to_string(),
        _ => "À régler.".to_string(),
    };
    page.line(10.0, Weight::Bold, &state);
    page.down(2.0);
    page.paragraph(
        8.0,
        "En cas de retard de paiement, pénalités au taux de trois fois le taux d’intérêt légal, et pour les \
         professionnels une indemnité forfaitaire pour frais de recouvrement de 40 € (articles L441-10 et \
         D441-5 du Code de commerce). Pas d’escompte pour paiement anticipé.",
    );
    if !buyer.additional_info.is_empty() {
        page.down(2.0);
        page.paragraph(9.0, &buyer.additional_info);
    }

    let title = format!("Facture {}", invoice.number);
    let pages = page
        .into_pages()
        .into_iter()
        .map(|ops| PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops))
        .collect();
    PdfDocument::new(&title)
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}

fn payment_method_fr(method: &str) -> &'static str {
    match method {
        "credit" => "crédit prépayé",
        "sepa" => "prélèvement SEPA",
        "card" => "carte bancaire",
        _ => "paiement reçu",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_writing_of_months_and_rates() {
        assert_eq!(month_fr("2026-08"), "août 2026");
        assert_eq!(month_fr("bad"), "bad");
        assert_eq!(rate_fr(200), "20 %");
        assert_eq!(rate_fr(255), "25,5 %");
        assert_eq!(rate_fr(0), "0 %");
        assert_eq!(date_fr(1_796_083_200), "01/12/2026");
    }
}
