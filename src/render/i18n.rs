//! UI strings and date formats from the theme's translation file
//! (`themes/<theme>/i18n/<language>.toml`): no UI text lives in Rust.

use chrono::Datelike;
use serde_json::Value;

use crate::letter::LetterDate;

/// One language's strings, as a map for templates plus what Rust needs to format dates.
#[derive(Debug, Clone)]
pub struct Translations {
    /// Every key of the file, handed to templates as `t`.
    pub strings: serde_json::Map<String, Value>,
    months: Vec<String>,
}

impl Translations {
    /// Parses a translation file. `Err` names the problem.
    pub fn parse(text: &str) -> Result<Translations, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let strings = match serde_json::to_value(&table).map_err(|e| e.to_string())? {
            Value::Object(map) => map,
            _ => return Err("a translation file must be a table of keys".to_string()),
        };
        let months: Vec<String> = strings
            .get("months")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if months.len() != 12 {
            return Err("`months` must list the twelve month names".to_string());
        }
        Ok(Translations { strings, months })
    }

    /// A string by key; the key itself when missing, so a gap shows instead of breaking a page.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).and_then(Value::as_str).unwrap_or(key)
    }

    /// Fills `{name}` placeholders of a string.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut out = self.get(key).to_string();
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    fn month(&self, month: u32) -> &str {
        self.months
            .get(month as usize - 1)
            .map_or("", String::as_str)
    }

    /// `19 november 2025`, `februari 1877`, `1855`.
    pub fn date(&self, date: LetterDate) -> String {
        match date {
            LetterDate::Day(d) => self.fill(
                "date_format",
                &[
                    ("day", &d.day().to_string()),
                    ("month", self.month(d.month())),
                    ("year", &d.year().to_string()),
                ],
            ),
            LetterDate::Month { year, month } => format!("{} {year}", self.month(month)),
            LetterDate::Year(year) => year.to_string(),
        }
    }

    pub fn day(&self, date: chrono::NaiveDate) -> String {
        self.date(LetterDate::Day(date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NL: &str = include_str!("../../themes/default/i18n/nl.toml");
    const EN: &str = include_str!("../../themes/default/i18n/en.toml");

    #[test]
    fn dutch_dates_read_like_the_seed() {
        let t = Translations::parse(NL).unwrap();
        assert_eq!(
            t.date(LetterDate::parse("2025-11-19").unwrap()),
            "19 november 2025"
        );
        assert_eq!(
            t.date(LetterDate::parse("1877-02").unwrap()),
            "februari 1877"
        );
        assert_eq!(t.date(LetterDate::parse("1855").unwrap()), "1855");
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let (nl, en) = (
            Translations::parse(NL).unwrap(),
            Translations::parse(EN).unwrap(),
        );
        let mut a: Vec<_> = nl.strings.keys().collect();
        let mut b: Vec<_> = en.strings.keys().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert_eq!(
            en.date(LetterDate::parse("2025-11-19").unwrap()),
            "19 November 2025"
        );
    }
}
