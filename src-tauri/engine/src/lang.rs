//! The one language rule of CS Pulse, for the CLI, the desktop app and (through the app)
//! its page: German or English.
//!
//! 1. a language asked for in so many words (the CLI's `--lang`) when it is one;
//! 2. else the `language` setting, when it is `de` or `en` (not `auto`);
//! 3. else the system's language ([`system_tag`]: `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`,
//!    `LANG` on Linux, the user's locale on Windows and macOS);
//! 4. else English.
//!
//! A tag counts as German when it starts with `de` (`de`, `de-AT`, `de_DE.UTF-8`); any other
//! is English.

/// The language of user-facing messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    De,
    #[default]
    En,
}

impl Lang {
    /// From a BCP 47 tag or setting (`de`, `de-DE`, `en_US.UTF-8`); anything else is English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_lowercase().starts_with("de") {
            Lang::De
        } else {
            Lang::En
        }
    }

    /// `de` or `en`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    pub fn pick(self, en: String, de: String) -> String {
        match self {
            Lang::De => de,
            Lang::En => en,
        }
    }

    /// The system's language alone (rules 3 and 4): before the settings can be read.
    pub fn system() -> Lang {
        decide(None, None, system_tag().as_deref())
    }
}

/// The system's locale as a BCP 47 tag (`de-AT`), if it says one.
pub fn system_tag() -> Option<String> {
    sys_locale::get_locale().filter(|t| !t.trim().is_empty())
}

/// The rule (see the module): `asked` (an explicit choice), else the `setting` unless it is
/// `auto` or empty, else the `system` tag, else English.
pub fn decide(asked: Option<&str>, setting: Option<&str>, system: Option<&str>) -> Lang {
    fn given(t: Option<&str>) -> Option<&str> {
        t.map(str::trim).filter(|t| !t.is_empty())
    }
    if let Some(t) = given(asked) {
        return Lang::from_tag(t);
    }
    if let Some(t) = given(setting).filter(|t| !t.eq_ignore_ascii_case("auto")) {
        return Lang::from_tag(t);
    }
    given(system).map_or(Lang::En, Lang::from_tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asked_then_setting_then_system_then_english() {
        assert_eq!(decide(Some("de"), Some("en"), Some("en-US")), Lang::De);
        assert_eq!(decide(Some("en"), Some("de"), Some("de-DE")), Lang::En);
        assert_eq!(decide(None, Some("de"), Some("en-US")), Lang::De);
        assert_eq!(decide(None, Some("en"), Some("de-AT")), Lang::En);
        assert_eq!(decide(None, Some("auto"), Some("de-AT")), Lang::De);
        assert_eq!(decide(None, Some("auto"), Some("en-GB")), Lang::En);
        assert_eq!(decide(Some(""), Some(" "), Some("de_DE.UTF-8")), Lang::De);
        assert_eq!(decide(None, None, Some("C.UTF-8")), Lang::En);
        assert_eq!(decide(None, Some("auto"), None), Lang::En);
        assert_eq!(decide(None, None, None), Lang::En);
    }

    #[test]
    fn german_is_any_tag_of_de() {
        for t in ["de", "DE", "de-DE", "de-AT", "de_CH.UTF-8", " de"] {
            assert_eq!(Lang::from_tag(t), Lang::De, "{t}");
        }
        for t in ["en", "en-US", "fr-FR", "C", "POSIX", "", "dk"] {
            assert_eq!(Lang::from_tag(t), Lang::En, "{t}");
        }
        assert_eq!(Lang::from_tag(Lang::De.tag()), Lang::De);
        assert_eq!(Lang::from_tag(Lang::En.tag()), Lang::En);
    }
}
