//! What the desktop app's screens get from the engine, as JSON, for `scripts/equivalence`:
//! `views DB [YYYY-MM]` prints the dashboard, the accounts list and the explanation of a
//! few accounts (the first, the last, the first red one and the first mover) of the month
//! (default: the latest), as the app's commands answer them. Reads only.
use cspulse_engine::score::Light;
use cspulse_engine::store::Store;
use cspulse_engine::{explain, overview, Month};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or("usage: views DB [YYYY-MM]")?;
    let month = args
        .next()
        .map(|m| Month::parse(&m).ok_or(format!("not a month: {m}")))
        .transpose()?;
    let store = Store::open(std::path::Path::new(&db))?;
    let dashboard = overview::dashboard(&store, month)?;
    let list = explain::accounts(&store, month)?;
    let mut chosen: Vec<&str> = Vec::new();
    let accounts = &list.accounts;
    for a in [
        accounts.first(),
        accounts.last(),
        accounts.iter().find(|a| a.light == Some(Light::Red)),
        accounts
            .iter()
            .find(|a| a.previous_light.is_some() && a.light != a.previous_light),
    ]
    .into_iter()
    .flatten()
    {
        if !chosen.contains(&a.account_id.as_str()) {
            chosen.push(&a.account_id);
        }
    }
    let explanations = chosen
        .iter()
        .map(|id| explain::explain(&store, id, month))
        .collect::<Result<Vec<_>, _>>()?;
    let unknown = explain::explain(&store, "NO-SUCH-ACCOUNT", month)
        .err()
        .map(|e| e.code());
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({
            "dashboard": dashboard,
            "accounts": list,
            "explanations": explanations,
            "unknown_account": unknown,
        }))?
    );
    Ok(())
}
