//! One customer, many names (`sources.md` §1).
//!
//! Every tool names a customer its own way: the CRM's account id, another tool's id
//! (`cus_…`, a workspace id), a company name typed by someone, an e-mail address, a website.
//! [`Directory::build`] indexes the accounts once (ids, aliases, domains, normalised names);
//! [`Directory::resolve`] then answers for one value with the first rule that matches:
//! **account_id → alias → domain → normalised name**. Two accounts under the same domain or
//! name make the value [`Resolution::Ambiguous`], never a guess; a free-mail domain never
//! matches. [`Directory::resolve_column`] resolves a whole column, once per distinct value,
//! and groups what matched nothing by value with its row count; [`Directory::proposals`]
//! suggests similar account names for such a value — for the user to confirm, never applied.

// FxHash: the keys are short texts hashed once per row; SipHash dominated (see README)
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::fold_words;

/// The link fields of one account: what other files may call it by.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct AccountLinks {
    pub account_id: String,
    pub name: String,
    /// Website or e-mail domain, as written (`http://www.brightpath.co.uk/` is fine).
    pub domain: Option<String>,
    /// Other tools' ids for this account, and values the user linked to it.
    pub aliases: Vec<String>,
}

/// Which rule linked a value to an account.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum By {
    AccountId,
    Alias,
    Domain,
    Name,
}

/// What one value of an account column refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// An empty cell: a row without account (allowed where the dataset allows it).
    Empty,
    /// The account at this index of the accounts given to [`Directory::build`].
    Account { index: usize, by: By },
    /// Several accounts share this domain or name: not guessed.
    Ambiguous { by: By, candidates: Vec<usize> },
    /// The user said this value is not a customer (`cspulse link VALUE --none`).
    NotACustomer,
    /// No account; `free_mail` when the value is an address at a free-mail provider.
    Unmatched { free_mail: bool },
}

/// Legal forms ignored at the end of a company name, as folded word sequences (longest
/// first within a family): the list of `sources.md` §1, `Pty Ltd` (Australia, found by the
/// research) and the usual others.
const LEGAL_FORMS: &[&[&str]] = &[
    &["gmbh", "co", "kgaa"],
    &["gmbh", "co", "kg"],
    &["gmbh", "co", "ohg"],
    &["ag", "co", "kg"],
    &["se", "co", "kg"],
    &["ug", "haftungsbeschraenkt", "co", "kg"],
    &["ug", "haftungsbeschraenkt"],
    &["gmbh"],
    &["ggmbh"],
    &["mbh"],
    &["ug"],
    &["ag"],
    &["se"],
    &["kg"],
    &["kgaa"],
    &["ohg"],
    &["gbr"],
    &["g", "m", "b", "h"],
    &["e", "k"],
    &["ek"],
    &["e", "v"],
    &["ev"],
    &["pty", "ltd"],
    &["pty", "limited"],
    &["pty"],
    &["ltd"],
    &["limited"],
    &["plc"],
    &["llp"],
    &["inc"],
    &["incorporated"],
    &["corp"],
    &["corporation"],
    &["llc"],
    &["l", "l", "c"],
    &["co"],
    &["sas"],
    &["s", "a", "s"],
    &["sarl"],
    &["s", "a", "r", "l"],
    &["sa"],
    &["s", "a"],
    &["bv"],
    &["b", "v"],
    &["nv"],
    &["n", "v"],
    &["ab"],
    &["oy"],
    &["oyj"],
    &["as"],
    &["asa"],
    &["aps"],
    &["a", "s"],
    &["spa"],
    &["s", "p", "a"],
    &["srl"],
    &["s", "r", "l"],
    &["sl"],
    &["s", "l"],
    &["sp", "z", "o", "o"],
    &["kft"],
    &["sro"],
    &["s", "r", "o"],
];

/// The name key: folded words (case, accents with ü = ue, punctuation, whitespace ignored)
/// without trailing legal forms and without a joining `&`/`and`/`und` left at the end,
/// written together. `Schön & Partner GmbH & Co. KG` and `Schoen & Partner` → `schoenpartner`;
/// `Brightpath Limited` → `brightpath`. A name that is nothing but a legal form keeps it.
pub fn name_key(name: &str) -> String {
    let folded = fold_words(name);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut end = words.len();
    loop {
        let before = end;
        while end > 1 && matches!(words[end - 1], "and" | "und" | "et") {
            end -= 1;
        }
        for form in LEGAL_FORMS {
            if form.len() < end && words[end - form.len()..end] == **form {
                end -= form.len();
                break;
            }
        }
        if end == before {
            break;
        }
    }
    words[..end].concat()
}

/// Free-mail providers: their domain names people, not customers, and never matches.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.de",
    "yahoo.co.uk",
    "yahoo.fr",
    "ymail.com",
    "hotmail.com",
    "hotmail.de",
    "hotmail.co.uk",
    "hotmail.fr",
    "outlook.com",
    "outlook.de",
    "live.com",
    "live.de",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "aol.de",
    "gmx.de",
    "gmx.net",
    "gmx.at",
    "gmx.ch",
    "gmx.com",
    "web.de",
    "t-online.de",
    "freenet.de",
    "posteo.de",
    "mailbox.org",
    "arcor.de",
    "online.de",
    "bluewin.ch",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "tutanota.com",
    "yandex.com",
    "yandex.ru",
    "mail.ru",
    "zoho.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "wanadoo.fr",
    "libero.it",
    "qq.com",
    "163.com",
];

pub fn is_free_mail(domain: &str) -> bool {
    FREE_MAIL.contains(&domain)
}

/// The domain an e-mail address or a website names: lowercase, `www.` stripped, no scheme,
/// port, path or trailing dot (`Anna <anna.k@Mueller-GmbH.de>` → `mueller-gmbh.de`,
/// `http://www.brightpath.co.uk/` → `brightpath.co.uk`). `None` for text that is neither
/// (a company name such as `Tessera B.V.`).
pub fn domain_of(text: &str) -> Option<String> {
    let t = text
        .trim()
        .trim_matches(|c| matches!(c, '<' | '>' | '"' | '\''));
    if t.is_empty() || t.contains(char::is_whitespace) && !t.contains('@') {
        return None;
    }
    let host = if let Some((_, after)) = t.rsplit_once('@') {
        // an address, maybe inside `Name <address>`
        let host = after.trim_end_matches(['>', '.', ' ']);
        if host.is_empty() || host.contains(char::is_whitespace) {
            return None;
        }
        url::Url::parse(&format!("http://{host}/"))
            .ok()?
            .host_str()?
            .to_owned()
    } else {
        let with_scheme = if t.contains("://") {
            t.to_owned()
        } else {
            format!("http://{t}")
        };
        url::Url::parse(&with_scheme).ok()?.host_str()?.to_owned()
    };
    let host = host.trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    // a real domain has a dot and ends in a label of letters (`xn--` IDN labels included)
    let tld = host.rsplit('.').next().unwrap_or("");
    (host.contains('.')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && tld.chars().any(|c| c.is_ascii_alphabetic()))
    .then(|| host.to_ascii_lowercase())
}

/// The 15-character form of an 18-character Salesforce account id (`001…`): reports
/// write either; the last three characters only encode the case of the first fifteen.
fn salesforce_short_id(id: &str) -> Option<&str> {
    (id.len() == 18 && id.starts_with("001") && id.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| &id[..15])
}

/// Does the value look like an e-mail address or a website rather than a name?
fn looks_like_address(t: &str) -> bool {
    t.contains('@') || t.contains("://") || (!t.contains(char::is_whitespace) && t.contains('.'))
}

/// The accounts' link fields, indexed once.
#[derive(Debug, Default)]
pub struct Directory {
    names: Vec<String>,
    name_keys: Vec<String>,
    ids: HashMap<String, usize>,
    aliases: HashMap<String, Vec<usize>>,
    domains: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    not_customers: HashSet<String>,
}

fn push_unique(map: &mut HashMap<String, Vec<usize>>, key: String, i: usize) {
    let v = map.entry(key).or_default();
    if !v.contains(&i) {
        v.push(i);
    }
}

impl Directory {
    pub fn build(accounts: &[AccountLinks]) -> Directory {
        let mut d = Directory {
            names: Vec::with_capacity(accounts.len()),
            name_keys: Vec::with_capacity(accounts.len()),
            ..Directory::default()
        };
        for (i, a) in accounts.iter().enumerate() {
            let id = a.account_id.trim();
            d.ids.entry(id.to_owned()).or_insert(i);
            if let Some(short) = salesforce_short_id(id) {
                d.ids.entry(short.to_owned()).or_insert(i);
            }
            for alias in &a.aliases {
                let alias = alias.trim();
                if !alias.is_empty() {
                    push_unique(&mut d.aliases, alias.to_owned(), i);
                }
            }
            if let Some(dom) = a.domain.as_deref().and_then(domain_of) {
                if !is_free_mail(&dom) {
                    push_unique(&mut d.domains, dom, i);
                }
            }
            let key = name_key(&a.name);
            if !key.is_empty() {
                push_unique(&mut d.by_name, key.clone(), i);
            }
            d.names.push(a.name.clone());
            d.name_keys.push(key);
        }
        d
    }

    /// Values the user marked "not a customer"; they resolve to [`Resolution::NotACustomer`].
    pub fn with_not_customers<I: IntoIterator<Item = String>>(mut self, values: I) -> Self {
        self.not_customers
            .extend(values.into_iter().map(|v| v.trim().to_owned()));
        self
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn one(hits: Option<&Vec<usize>>, by: By) -> Option<Resolution> {
        match hits.map(Vec::as_slice) {
            None | Some([]) => None,
            Some([i]) => Some(Resolution::Account { index: *i, by }),
            Some(many) => Some(Resolution::Ambiguous {
                by,
                candidates: many.to_vec(),
            }),
        }
    }

    /// What `value` refers to: account_id → alias → domain → normalised name, first match
    /// wins; a rule that finds two accounts makes the value ambiguous.
    pub fn resolve(&self, value: &str) -> Resolution {
        let t = value.trim();
        if t.is_empty() {
            return Resolution::Empty;
        }
        if let Some(&index) = self.ids.get(t) {
            return Resolution::Account {
                index,
                by: By::AccountId,
            };
        }
        if let Some(r) = Self::one(self.aliases.get(t), By::Alias) {
            return r;
        }
        if self.not_customers.contains(t) {
            return Resolution::NotACustomer;
        }
        let mut free_mail = false;
        if looks_like_address(t) {
            if let Some(dom) = domain_of(t) {
                if is_free_mail(&dom) {
                    free_mail = true;
                } else if let Some(r) = Self::one(self.domains.get(&dom), By::Domain) {
                    return r;
                }
            }
        }
        if !free_mail && !t.contains('@') {
            if let Some(r) = Self::one(self.by_name.get(&name_key(t)), By::Name) {
                return r;
            }
        }
        Resolution::Unmatched { free_mail }
    }

    /// Resolves a whole column, each distinct value once: the resolution per row and the
    /// values that matched nothing, grouped with their row counts (most rows first).
    pub fn resolve_column<'a, I>(&self, values: I) -> Column
    where
        I: IntoIterator<Item = &'a str>,
    {
        let mut cache: HashMap<&'a str, usize> = HashMap::default();
        let mut distinct: Vec<Resolution> = Vec::new();
        let mut rows = Vec::new();
        let mut unmatched: Vec<Unmatched> = Vec::new();
        let mut unmatched_at: HashMap<usize, usize> = HashMap::default();
        for (row, v) in values.into_iter().enumerate() {
            let slot = *cache.entry(v).or_insert_with(|| {
                distinct.push(self.resolve(v));
                distinct.len() - 1
            });
            if let Resolution::Unmatched { free_mail } = distinct[slot] {
                let u = *unmatched_at.entry(slot).or_insert_with(|| {
                    unmatched.push(Unmatched {
                        value: v.trim().to_owned(),
                        rows: 0,
                        first_row: row,
                        free_mail,
                    });
                    unmatched.len() - 1
                });
                unmatched[u].rows += 1;
            }
            rows.push(slot);
        }
        unmatched.sort_by(|a, b| b.rows.cmp(&a.rows).then(a.first_row.cmp(&b.first_row)));
        Column {
            distinct,
            rows,
            unmatched,
        }
    }

    /// Up to `n` accounts whose names are like `value` (Jaro–Winkler over the name keys,
    /// at least 0.85), best first: offered to the user, never applied by themselves.
    pub fn proposals(&self, value: &str, n: usize) -> Vec<Proposal> {
        let key = match domain_of(value).filter(|_| looks_like_address(value)) {
            // an address: its domain's first label is compared with the names
            Some(d) => d.split('.').next().unwrap_or("").replace('-', ""),
            None => name_key(value),
        };
        if key.is_empty() {
            return Vec::new();
        }
        let mut best: Vec<Proposal> = self
            .name_keys
            .iter()
            .enumerate()
            .filter(|(_, k)| !k.is_empty())
            .filter_map(|(index, k)| {
                let similarity = strsim::jaro_winkler(&key, k);
                (similarity >= 0.85).then_some(Proposal { index, similarity })
            })
            .collect();
        best.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then(a.index.cmp(&b.index))
        });
        best.truncate(n);
        best
    }

    /// The name of the account at `index` (as given to [`Directory::build`]).
    pub fn name(&self, index: usize) -> &str {
        &self.names[index]
    }
}

/// A column resolved: [`Column::get`] gives each row's resolution.
#[derive(Debug)]
pub struct Column {
    distinct: Vec<Resolution>,
    rows: Vec<usize>,
    /// Values that matched no account, most rows first: "17 rows for 'Schönconsult Ltd'".
    pub unmatched: Vec<Unmatched>,
}

impl Column {
    pub fn get(&self, row: usize) -> &Resolution {
        &self.distinct[self.rows[row]]
    }
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// How many rows each rule linked.
    pub fn linked_by(&self, by: By) -> usize {
        self.rows
            .iter()
            .filter(|&&s| matches!(self.distinct[s], Resolution::Account { by: b, .. } if b == by))
            .count()
    }
}

/// One value that matched no account, with how many rows hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmatched {
    pub value: String,
    pub rows: usize,
    /// The first row (index into the column) holding it.
    pub first_row: usize,
    pub free_mail: bool,
}

impl Unmatched {
    /// "17 rows for 'Schönconsult Ltd' match no account" (with why, for free-mail addresses).
    pub fn en(&self) -> String {
        let rows = if self.rows == 1 {
            "1 row".to_owned()
        } else {
            format!("{} rows", self.rows)
        };
        if self.free_mail {
            format!(
                "{rows} for '{}' match no account (a free-mail address names a person, not a customer)",
                self.value
            )
        } else {
            format!("{rows} for '{}' match no account", self.value)
        }
    }
    pub fn de(&self) -> String {
        let rows = if self.rows == 1 {
            "1 Zeile".to_owned()
        } else {
            format!("{} Zeilen", self.rows)
        };
        if self.free_mail {
            format!(
                "{rows} für „{}“ passen zu keinem Kunden (eine Freemail-Adresse nennt eine Person, keinen Kunden)",
                self.value
            )
        } else {
            format!("{rows} für „{}“ passen zu keinem Kunden", self.value)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Proposal {
    pub index: usize,
    pub similarity: f64,
}

/// Why a column of an accounts file holds another tool's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AliasColumn {
    /// A known tool's customer id ("Stripe Customer ID", "Workspace ID", …): an alias
    /// without asking. The text names the tool.
    Known(&'static str),
    /// The header ends in id/ID/-Nr.: offered to the user as an alias column.
    Offered,
}

/// Known tools' customer-id columns, as header keys (see `import::fields::header_key`).
const KNOWN_ALIAS_HEADERS: &[(&str, &str)] = &[
    ("stripecustomerid", "Stripe"),
    ("stripeid", "Stripe"),
    ("stripecustomer", "Stripe"),
    ("workspaceid", "Workspace"),
    ("workspace", "Workspace"),
    ("hubspotrecordid", "HubSpot"),
    ("hubspotcompanyid", "HubSpot"),
    ("hubspotid", "HubSpot"),
    ("zendeskorganizationid", "Zendesk"),
    ("zendeskorganisationid", "Zendesk"),
    ("zendeskorgid", "Zendesk"),
    ("zendeskid", "Zendesk"),
    ("intercomcompanyid", "Intercom"),
    ("intercomid", "Intercom"),
    ("chargebeecustomerid", "Chargebee"),
    ("chargebeeid", "Chargebee"),
    ("freshdeskcompanyid", "Freshdesk"),
    ("freshdeskid", "Freshdesk"),
    ("mixpanelgroupid", "Mixpanel"),
    ("amplitudegroupid", "Amplitude"),
    ("pendoaccountid", "Pendo"),
    ("shopifycustomerid", "Shopify"),
    ("salesforceid", "Salesforce"),
    ("salesforceaccountid", "Salesforce"),
    ("sfdcid", "Salesforce"),
    ("sfdcaccountid", "Salesforce"),
    ("crmid", "CRM"),
];

/// Is the column headed `header` another tool's id for the account? `None` for other
/// columns; the caller leaves out the column it maps to `account_id`.
pub fn alias_column(header: &str) -> Option<AliasColumn> {
    let key = crate::import::fields::header_key(header);
    if let Some((_, tool)) = KNOWN_ALIAS_HEADERS.iter().find(|(k, _)| *k == key) {
        return Some(AliasColumn::Known(tool));
    }
    let t = header.trim().trim_end_matches('.');
    let words = fold_words(t);
    let last = words.rsplit(' ').next().unwrap_or("");
    // `Customer ID`, `customer_id`, `Kunden-Nr.`, camelCase `workspaceId`; not `Paid`
    let camel = t.ends_with("Id") || t.ends_with("ID");
    let camel = camel
        && t.len() > 2
        && t[..t.len() - 2]
            .chars()
            .last()
            .is_some_and(|c| c.is_lowercase());
    let nr = t.to_lowercase().ends_with("-nr") || t.to_lowercase().ends_with("nr");
    (words != last && (last == "id" || last == "nr") || camel || nr && words.len() > 2)
        .then_some(AliasColumn::Offered)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The research's ten accounts (tests/fixtures/tools/EXPECTED.md).
    fn accounts() -> Vec<AccountLinks> {
        let a = |id: &str, name: &str, web: &str, aliases: &[&str]| AccountLinks {
            account_id: id.into(),
            name: name.into(),
            domain: Some(web.into()),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        };
        vec![
            a(
                "0017Q00000MUEL01AA",
                "Müller GmbH",
                "https://www.mueller-gmbh.de",
                &["cus_Pm1MuellerGmbH", "ws_4101", "360001001", "9101"],
            ),
            a(
                "0017Q00000CAFE03AA",
                "Café Lumière SARL",
                "cafe-lumiere.fr",
                &["cus_Pm3CafeLumiere", "ws_4103"],
            ),
            a(
                "0017Q00000SCHO07AA",
                "Schön & Partner GmbH & Co. KG",
                "www.schoen-partner.de",
                &["cus_Pm7SchoenPartner", "ws_4107"],
            ),
            a(
                "0017Q00000NORD02AA",
                "Nordwind Logistik AG",
                "nordwind-logistik.de",
                &["cus_Pm2Nordwind", "ws_4102"],
            ),
            a(
                "0017Q00000BRIG04AA",
                "Brightpath Ltd",
                "http://www.brightpath.co.uk/",
                &["cus_Pm4Brightpath", "ws_4104"],
            ),
            a(
                "0017Q00000TESS08AA",
                "Tessera B.V.",
                "tessera.nl",
                &["cus_Pm8Tessera", "ws_4108"],
            ),
            a(
                "0017Q00000QUOK10AA",
                "Quokka Software Pty Ltd",
                "quokka.com.au",
                &["cus_PmAQuokka", "ws_4110"],
            ),
            a(
                "0017Q00000ACME05AA",
                "Acme Analytics Inc.",
                "acme-analytics.com",
                &["cus_Pm5AcmeAnalytics", "ws_4105"],
            ),
            a(
                "0017Q00000FJOR06AA",
                "Fjord Data AS",
                "fjorddata.no",
                &["cus_Pm6FjordData", "ws_4106"],
            ),
            a(
                "0017Q00000HELI09AA",
                "Helios Energie SE",
                "helios-energie.de",
                &["cus_Pm9HeliosEnergie", "ws_4109"],
            ),
        ]
    }

    fn who(d: &Directory, v: &str) -> Option<(String, By)> {
        match d.resolve(v) {
            Resolution::Account { index, by } => Some((d.name(index).to_owned(), by)),
            _ => None,
        }
    }

    #[test]
    fn names_are_keyed_without_case_accents_punctuation_and_legal_forms() {
        for (a, b) in [
            ("Mueller GmbH", "Müller GmbH"),
            ("MÜLLER GMBH", "Müller GmbH"),
            ("Schoen & Partner", "Schön & Partner GmbH & Co. KG"),
            ("Cafe Lumiere", "Café Lumière SARL"),
            ("Brightpath Limited", "Brightpath Ltd"),
            ("Acme Analytics, Inc.", "Acme Analytics Inc."),
            ("Tessera", "Tessera B.V."),
            ("Quokka Software", "Quokka Software Pty Ltd"),
            ("Nordwind Logistik", "Nordwind Logistik AG"),
            ("Fjord Data", "Fjord Data AS"),
            ("Beta S.p.A.", "Beta SpA"),
            ("Gamma e.K.", "Gamma"),
            ("Delta Oy", "Delta AB"),
        ] {
            assert_eq!(name_key(a), name_key(b), "{a} = {b}");
        }
        assert_eq!(name_key("Schön & Partner GmbH & Co. KG"), "schoenpartner");
        // a name that is only a legal form keeps it; different companies stay apart
        assert_eq!(name_key("AG"), "ag");
        assert_ne!(name_key("Müller GmbH"), name_key("Miller GmbH"));
        assert_ne!(name_key("Nordwind Logistik"), name_key("Nordwind"));
    }

    #[test]
    fn e_mails_and_websites_give_their_domain() {
        for (text, want) in [
            ("anna.k@mueller-gmbh.de", Some("mueller-gmbh.de")),
            ("Anna <anna.k@Mueller-GmbH.de>", Some("mueller-gmbh.de")),
            ("http://www.brightpath.co.uk/", Some("brightpath.co.uk")),
            ("https://WWW.Tessera.nl/en/about?x=1", Some("tessera.nl")),
            ("www.schoen-partner.de", Some("schoen-partner.de")),
            ("quokka.com.au", Some("quokka.com.au")),
            ("fjorddata.no:443", Some("fjorddata.no")),
            ("Tessera B.V.", None),
            ("Müller GmbH", None),
            ("1.5", None),
            ("", None),
        ] {
            assert_eq!(domain_of(text).as_deref(), want, "{text}");
        }
        assert!(is_free_mail("gmail.com") && is_free_mail("gmx.de") && is_free_mail("web.de"));
        assert!(!is_free_mail("mueller-gmbh.de"));
    }

    #[test]
    fn every_tools_reference_resolves_by_the_first_rule_that_matches() {
        let d = Directory::build(&accounts());
        let m = "Müller GmbH".to_owned();
        assert_eq!(
            who(&d, "0017Q00000MUEL01AA"),
            Some((m.clone(), By::AccountId))
        );
        // Salesforce's 15-character form of the same id
        assert_eq!(who(&d, "0017Q00000MUEL0"), Some((m.clone(), By::AccountId)));
        assert_eq!(who(&d, "0017q00000muel0"), None);
        assert_eq!(who(&d, "cus_Pm1MuellerGmbH"), Some((m.clone(), By::Alias)));
        assert_eq!(who(&d, " ws_4101 "), Some((m.clone(), By::Alias)));
        assert_eq!(
            who(&d, "anna.k@mueller-gmbh.de"),
            Some((m.clone(), By::Domain))
        );
        assert_eq!(who(&d, "Mueller GmbH"), Some((m.clone(), By::Name)));
        assert_eq!(who(&d, "MÜLLER GMBH"), Some((m, By::Name)));
        assert_eq!(
            who(&d, "finance@brightpath.co.uk").map(|w| w.0).as_deref(),
            Some("Brightpath Ltd")
        );
        assert_eq!(
            who(&d, "Schoen & Partner").map(|w| w.0).as_deref(),
            Some("Schön & Partner GmbH & Co. KG")
        );
        assert_eq!(
            who(&d, "Quokka Software").map(|w| w.0).as_deref(),
            Some("Quokka Software Pty Ltd")
        );
        // free mail never matches, even though gmail is a "domain"
        assert_eq!(
            d.resolve("max.peters@gmail.com"),
            Resolution::Unmatched { free_mail: true }
        );
        assert_eq!(
            d.resolve("ws_9999"),
            Resolution::Unmatched { free_mail: false }
        );
        assert_eq!(d.resolve("  "), Resolution::Empty);
        // the research's `Zendesk` names all link (EXPECTED.md)
        for v in [
            "Nordwind Logistik",
            "Café Lumière",
            "Acme Analytics",
            "Tessera",
        ] {
            assert!(who(&d, v).is_some(), "{v}");
        }
    }

    #[test]
    fn two_accounts_under_one_name_or_domain_are_ambiguous_not_guessed() {
        let mut acc = accounts();
        acc.push(AccountLinks {
            account_id: "X1".into(),
            name: "Mueller G.m.b.H.".into(),
            domain: Some("mueller-gmbh.de".into()),
            aliases: vec!["ws_4101".into()],
        });
        let d = Directory::build(&acc);
        assert_eq!(
            d.resolve("Müller"),
            Resolution::Ambiguous {
                by: By::Name,
                candidates: vec![0, 10]
            }
        );
        assert_eq!(
            d.resolve("info@mueller-gmbh.de"),
            Resolution::Ambiguous {
                by: By::Domain,
                candidates: vec![0, 10]
            }
        );
        assert_eq!(
            d.resolve("ws_4101"),
            Resolution::Ambiguous {
                by: By::Alias,
                candidates: vec![0, 10]
            }
        );
        // the account id still decides
        assert_eq!(
            d.resolve("X1"),
            Resolution::Account {
                index: 10,
                by: By::AccountId
            }
        );
    }

    #[test]
    fn an_account_with_a_free_mail_domain_is_not_found_by_it() {
        let d = Directory::build(&[AccountLinks {
            account_id: "A".into(),
            name: "Solo Consulting".into(),
            domain: Some("solo@gmail.com".into()),
            aliases: vec![],
        }]);
        assert_eq!(
            d.resolve("someone@gmail.com"),
            Resolution::Unmatched { free_mail: true }
        );
        assert_eq!(
            d.resolve("Solo Consulting"),
            Resolution::Account {
                index: 0,
                by: By::Name
            }
        );
    }

    #[test]
    fn a_column_is_resolved_once_per_value_and_unmatched_values_are_grouped() {
        let d = Directory::build(&accounts()).with_not_customers(["Pulse Demo GmbH".to_owned()]);
        let col = [
            "Schönconsult Ltd",
            "Mueller GmbH",
            "Schönconsult Ltd",
            "",
            "ws_9999",
            "Schönconsult Ltd",
            "Pulse Demo GmbH",
            "random.user@gmx.de",
        ];
        let r = d.resolve_column(col);
        assert_eq!(r.len(), 8);
        assert_eq!(
            r.get(1),
            &Resolution::Account {
                index: 0,
                by: By::Name
            }
        );
        assert_eq!(r.get(3), &Resolution::Empty);
        assert_eq!(r.get(6), &Resolution::NotACustomer);
        assert_eq!(r.linked_by(By::Name), 1);
        let groups: Vec<(&str, usize, bool)> = r
            .unmatched
            .iter()
            .map(|u| (u.value.as_str(), u.rows, u.free_mail))
            .collect();
        assert_eq!(
            r.unmatched[0].en(),
            "3 rows for 'Schönconsult Ltd' match no account"
        );
        assert_eq!(
            r.unmatched[0].de(),
            "3 Zeilen für „Schönconsult Ltd“ passen zu keinem Kunden"
        );
        assert!(r.unmatched[2]
            .en()
            .starts_with("1 row for 'random.user@gmx.de'"));
        assert!(r.unmatched[2].de().contains("Freemail"));
        assert_eq!(
            groups,
            vec![
                ("Schönconsult Ltd", 3, false),
                ("ws_9999", 1, false),
                ("random.user@gmx.de", 1, true)
            ]
        );
    }

    #[test]
    fn similar_names_are_proposed_best_first_and_never_resolve_by_themselves() {
        let d = Directory::build(&accounts());
        // a typo: not a match, but proposed
        assert!(matches!(
            d.resolve("Nordwnd Logistik"),
            Resolution::Unmatched { .. }
        ));
        let p = d.proposals("Nordwnd Logistik", 3);
        assert_eq!(
            p.first().map(|p| d.name(p.index)),
            Some("Nordwind Logistik AG")
        );
        assert!(p[0].similarity > 0.9 && p[0].similarity < 1.0);
        // an address at an unknown domain: its first label against the names
        let p = d.proposals("info@brightpath.com", 3);
        assert_eq!(p.first().map(|p| d.name(p.index)), Some("Brightpath Ltd"));
        // nothing like any account: no proposal
        assert!(d.proposals("Zebra Holdings", 3).is_empty());
    }

    #[test]
    fn other_tools_id_columns_are_known_or_offered() {
        use AliasColumn::*;
        assert_eq!(alias_column("Stripe Customer ID"), Some(Known("Stripe")));
        assert_eq!(alias_column("Workspace ID"), Some(Known("Workspace")));
        assert_eq!(alias_column("HubSpot Record ID"), Some(Known("HubSpot")));
        assert_eq!(
            alias_column("Zendesk Organization ID"),
            Some(Known("Zendesk"))
        );
        assert_eq!(alias_column("Billing System ID"), Some(Offered));
        assert_eq!(alias_column("netsuite_id"), Some(Offered));
        assert_eq!(alias_column("erpCustomerId"), Some(Offered));
        assert_eq!(alias_column("Debitoren-Nr."), Some(Offered));
        assert_eq!(alias_column("Paid"), None);
        assert_eq!(alias_column("Account Name"), None);
        assert_eq!(alias_column("ID"), None);
        assert_eq!(alias_column("Industry"), None);
        assert_eq!(alias_column("Ride"), None);
    }
}
