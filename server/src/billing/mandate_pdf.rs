//! A SEPA Direct Debit mandate as PDF, with what the EPC's rules ask a mandate to show: its
//! unique reference, the creditor's identifier, name and address, the debtor's name and
//! account (only its last four digits are kept here), recurrent payment, the date of signature
//! and the standard authorisation text with the eight-week refund right. In French and English.

use super::pdf::{date_fr, Layout, Weight};
use super::settings::Seller;
use crate::db::billing::methods::StoredMethod;
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

/// The standard EPC authorisation text, both languages.
const AUTHORISATION_FR: &str = "En signant ce formulaire de mandat, vous autorisez le créancier à envoyer des \
instructions à votre banque pour débiter votre compte, et votre banque à débiter votre compte conformément aux \
instructions du créancier. Vous bénéficiez du droit d’être remboursé par votre banque selon les conditions décrites \
dans la convention que vous avez passée avec elle. Une demande de remboursement doit être présentée dans les 8 \
semaines suivant la date de débit de votre compte pour un prélèvement autorisé.";
const AUTHORISATION_EN: &str = "By signing this mandate form, you authorise the creditor to send instructions to \
your bank to debit your account and your bank to debit your account in accordance with the instructions from the \
creditor. As part of your rights, you are entitled to a refund from your bank under the terms and conditions of your \
agreement with your bank. A refund must be claimed within 8 weeks starting from the date on which your account was \
debited.";

pub fn mandate_pdf(method: &StoredMethod, seller: Option<&Seller>, creditor_id: &str) -> Vec<u8> {
    let mut page = Layout::new();
    page.line(
        16.0,
        Weight::Bold,
        "Mandat de prélèvement SEPA / SEPA Direct Debit Mandate",
    );
    page.down(2.0);
    page.line(
        10.0,
        Weight::Regular,
        &format!(
            "Référence unique du mandat / Mandate reference : {}",
            method.mandate_reference
        ),
    );
    page.line(
        10.0,
        Weight::Regular,
        "Type de paiement / Type of payment : récurrent / recurrent",
    );
    page.down(4.0);
    page.line(11.0, Weight::Bold, "Créancier / Creditor");
    match seller {
        Some(seller) => {
            page.line(10.0, Weight::Regular, &seller.name);
            for line in &seller.address {
                page.line(10.0, Weight::Regular, line);
            }
        }
        None => page.line(10.0, Weight::Regular, "—"),
    }
    page.line(
        10.0,
        Weight::Regular,
        &format!("Identifiant créancier SEPA / Creditor identifier : {creditor_id}"),
    );
    page.down(4.0);
    page.line(11.0, Weight::Bold, "Débiteur / Debtor");
    page.line(10.0, Weight::Regular, &method.holder);
    page.line(
        10.0,
        Weight::Regular,
        &format!("IBAN : {} •••• {}", method.country, method.last4),
    );
    page.down(4.0);
    page.paragraph(9.0, AUTHORISATION_FR);
    page.down(2.0);
    page.paragraph(9.0, AUTHORISATION_EN);
    page.down(4.0);
    page.line(
        10.0,
        Weight::Regular,
        &format!(
            "Signé électroniquement le / Signed electronically on : {} (adresse / address {})",
            date_fr(method.mandate_signed_at),
            method.mandate_ip
        ),
    );
    let pages = page
        .into_pages()
        .into_iter()
        .map(|ops| PdfPage::new(Mm(super::pdf::PAGE_WIDTH), Mm(super::pdf::PAGE_HEIGHT), ops))
        .collect();
    PdfDocument::new(&format!("Mandat {}", method.mandate_reference))
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}
