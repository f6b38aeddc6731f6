//! The countries an address may be in: ISO 3166-1 alpha-2 codes with their names in both
//! languages. Health data hosting (HDS) is a French certification and billing follows EU rules,
//! so the list covers the European Economic Area, its neighbours and the countries French
//! hosting customers most often deal with; a code outside it is refused with a clear message.

use crate::i18n::Lang;

/// `(code, English name, French name)`.
pub const COUNTRIES: [(&str, &str, &str); 48] = [
    ("AD", "Andorra", "Andorre"),
    ("AT", "Austria", "Autriche"),
    ("BE", "Belgium", "Belgique"),
    ("BG", "Bulgaria", "Bulgarie"),
    ("CA", "Canada", "Canada"),
    ("CH", "Switzerland", "Suisse"),
    ("CI", "Côte d’Ivoire", "Côte d’Ivoire"),
    ("CM", "Cameroon", "Cameroun"),
    ("CY", "Cyprus", "Chypre"),
    ("CZ", "Czechia", "Tchéquie"),
    ("DE", "Germany", "Allemagne"),
    ("DK", "Denmark", "Danemark"),
    ("DZ", "Algeria", "Algérie"),
    ("EE", "Estonia", "Estonie"),
    ("ES", "Spain", "Espagne"),
    ("FI", "Finland", "Finlande"),
    ("FR", "France", "France"),
    ("GB", "United Kingdom", "Royaume-Uni"),
    ("GR", "Greece", "Grèce"),
    ("HR", "Croatia", "Croatie"),
    ("HU", "Hungary", "Hongrie"),
    ("IE", "Ireland", "Irlande"),
    ("IL", "Israel", "Israël"),
    ("IS", "Iceland", "Islande"),
    ("IT", "Italy", "Italie"),
    ("JP", "Japan", "Japon"),
    ("LI", "Liechtenstein", "Liechtenstein"),
    ("LT", "Lithuania", "Lituanie"),
    ("LU", "Luxembourg", "Luxembourg"),
    ("LV", "Latvia", "Lettonie"),
    ("MA", "Morocco", "Maroc"),
    ("MC", "Monaco", "Monaco"),
    ("MT", "Malta", "Malte"),
    ("MU", "Mauritius", "Maurice"),
    ("NL", "Netherlands", "Pays-Bas"),
    ("NO", "Norway", "Norvège"),
    ("PL", "Poland", "Pologne"),
    ("PT", "Portugal", "Portugal"),
    ("RO", "Romania", "Roumanie"),
    ("SE", "Sweden", "Suède"),
    ("SG", "Singapore", "Singapour"),
    ("SI", "Slovenia", "Slovénie"),
    ("SK", "Slovakia", "Slovaquie"),
    ("SM", "San Marino", "Saint-Marin"),
    ("SN", "Senegal", "Sénégal"),
    ("TN", "Tunisia", "Tunisie"),
    ("UA", "Ukraine", "Ukraine"),
    ("US", "United States", "États-Unis"),
];

/// The listed country with this code (any case), as its canonical upper-case code.
pub fn code(input: &str) -> Option<&'static str> {
    let input = input.trim();
    COUNTRIES
        .iter()
        .find(|(code, _, _)| code.eq_ignore_ascii_case(input))
        .map(|(code, _, _)| *code)
}

pub fn name(code: &str, lang: Lang) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, en, fr)| match lang {
            Lang::En => *en,
            Lang::Fr => *fr,
        })
}

/// Every country as `(code, name)`, sorted by name in `lang` (accents sort with their letter).
pub fn sorted(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut list: Vec<(&str, &str)> = COUNTRIES
        .iter()
        .map(|(code, en, fr)| (*code, if lang == Lang::Fr { *fr } else { *en }))
        .collect();
    list.sort_by_key(|(_, name)| fold(name));
    list
}

fn fold(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'É' | 'È' => 'E',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'Ô' => 'O',
            'ï' | 'î' => 'i',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_upper_case() {
        let codes: Vec<&str> = COUNTRIES.iter().map(|c| c.0).collect();
        let mut sorted_codes = codes.clone();
        sorted_codes.sort();
        sorted_codes.dedup();
        assert_eq!(codes, sorted_codes);
        assert!(codes
            .iter()
            .all(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase())));
    }

    #[test]
    fn lookups() {
        assert_eq!(code(" fr "), Some("FR"));
        assert_eq!(code("XX"), None);
        assert_eq!(name("DE", Lang::Fr), Some("Allemagne"));
        let fr = sorted(Lang::Fr);
        let pos = |c: &str| fr.iter().position(|(code, _)| *code == c);
        // "États-Unis" sorts among the E's, before "Finlande".
        assert!(pos("US") < pos("FI") && pos("ES") < pos("US"));
    }
}
