//! The Health data (HDS) tab's data: the healthcare point of contact and its yearly review.

use super::{Documents, Stamp};
use crate::i18n::Key;
use serde::{Deserialize, Serialize};

/// What kind of organisation the point of contact belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrgType {
    #[default]
    Company,
    NonProfit,
    Administration,
}

impl OrgType {
    pub const ALL: [OrgType; 3] = [OrgType::Company, OrgType::NonProfit, OrgType::Administration];

    /// The API's and the form's value.
    pub fn code(self) -> &'static str {
        match self {
            OrgType::Company => "company",
            OrgType::NonProfit => "non-profit",
            OrgType::Administration => "administration",
        }
    }

    pub fn from_code(code: &str) -> Option<OrgType> {
        Self::ALL.into_iter().find(|t| t.code() == code.trim())
    }

    pub fn label(self) -> Key {
        match self {
            OrgType::Company => Key::OrgCompany,
            OrgType::NonProfit => Key::OrgNonProfit,
            OrgType::Administration => Key::OrgAdministration,
        }
    }
}

/// The fields of the point of contact, as typed (in a form) or as stored (normalised: the phone
/// number in international E.164 form, the country as an ISO 3166 code).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HdsContact {
    pub org_type: String,
    pub name: String,
    pub email: String,
    pub phone_number: String,
    pub company: String,
    pub address_line1: String,
    pub address_line2: String,
    pub address_city: String,
    pub address_zip: String,
    pub address_country: String,
    pub notes: String,
}

/// The contact's fields in form order: their names are the form's, the API's and the errors'.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HdsField {
    OrgType,
    Name,
    Email,
    PhoneNumber,
    Company,
    AddressLine1,
    AddressLine2,
    AddressCity,
    AddressZip,
    AddressCountry,
    Notes,
}

impl HdsField {
    pub const ALL: [HdsField; 11] = [
        HdsField::OrgType,
        HdsField::Name,
        HdsField::Email,
        HdsField::PhoneNumber,
        HdsField::Company,
        HdsField::AddressLine1,
        HdsField::AddressLine2,
        HdsField::AddressCity,
        HdsField::AddressZip,
        HdsField::AddressCountry,
        HdsField::Notes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            HdsField::OrgType => "org_type",
            HdsField::Name => "name",
            HdsField::Email => "email",
            HdsField::PhoneNumber => "phone_number",
            HdsField::Company => "company",
            HdsField::AddressLine1 => "address_line1",
            HdsField::AddressLine2 => "address_line2",
            HdsField::AddressCity => "address_city",
            HdsField::AddressZip => "address_zip",
            HdsField::AddressCountry => "address_country",
            HdsField::Notes => "notes",
        }
    }

    pub fn get(self, c: &HdsContact) -> &str {
        match self {
            HdsField::OrgType => &c.org_type,
            HdsField::Name => &c.name,
            HdsField::Email => &c.email,
            HdsField::PhoneNumber => &c.phone_number,
            HdsField::Company => &c.company,
            HdsField::AddressLine1 => &c.address_line1,
            HdsField::AddressLine2 => &c.address_line2,
            HdsField::AddressCity => &c.address_city,
            HdsField::AddressZip => &c.address_zip,
            HdsField::AddressCountry => &c.address_country,
            HdsField::Notes => &c.notes,
        }
    }

    pub fn set(self, c: &mut HdsContact, value: String) {
        let slot = match self {
            HdsField::OrgType => &mut c.org_type,
            HdsField::Name => &mut c.name,
            HdsField::Email => &mut c.email,
            HdsField::PhoneNumber => &mut c.phone_number,
            HdsField::Company => &mut c.company,
            HdsField::AddressLine1 => &mut c.address_line1,
            HdsField::AddressLine2 => &mut c.address_line2,
            HdsField::AddressCity => &mut c.address_city,
            HdsField::AddressZip => &mut c.address_zip,
            HdsField::AddressCountry => &mut c.address_country,
            HdsField::Notes => &mut c.notes,
        };
        *slot = value;
    }

    pub fn label(self) -> Key {
        match self {
            HdsField::OrgType => Key::OrgTypeLabel,
            HdsField::Name => Key::HdsNameLabel,
            HdsField::Email => Key::EmailLabel,
            HdsField::PhoneNumber => Key::PhoneLabel,
            HdsField::Company => Key::CompanyLabel,
            HdsField::AddressLine1 => Key::AddressLine1Label,
            HdsField::AddressLine2 => Key::AddressLine2Label,
            HdsField::AddressCity => Key::CityLabel,
            HdsField::AddressZip => Key::ZipLabel,
            HdsField::AddressCountry => Key::CountryLabel,
            HdsField::Notes => Key::NotesLabel,
        }
    }

    pub fn from_name(name: &str) -> Option<HdsField> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Where the yearly review stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HdsReview {
    pub updated_at: Stamp,
    pub reviewed_at: Stamp,
    /// Twelve months after the last review.
    pub due_at: Stamp,
    /// The due date has passed: the contact must be confirmed or corrected.
    pub due: bool,
}

/// Everything the tab shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HdsOverview {
    /// Only the HDS contract documents.
    pub documents: Documents,
    /// `None` until the contact is first saved.
    pub contact: Option<HdsContact>,
    pub review: Option<HdsReview>,
}

/// The answer to a save or a review: where the review stands now, and what changed. Kept
/// small: without JavaScript it travels back to the page in the flash cookie (the page reads
/// the contact itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HdsSaved {
    pub review: HdsReview,
    /// Fields the save changed (empty for a review without changes).
    pub changed: Vec<String>,
}
