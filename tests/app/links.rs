//! The link step's commands on the real app (mock runtime): the user's accounts with their
//! other names, proposals for a value no import matched, an answer stored (refused for an
//! account no import holds), taken back; the sample company's accounts are not offered.

use super::{invoke, real_app, window};
use crate::tmp::Tmp;
use serde_json::{json, Value};

#[test]
fn a_value_is_linked_to_an_account_once_refused_for_an_unknown_one_and_taken_back() {
    let dir = Tmp::new();
    // the user's own accounts list, imported before the app starts (no sample company then)
    {
        let accounts = dir.file(
            "accounts.csv",
            "account_id,name,domain\nK-1,Nordwind GmbH,nordwind.de\nK-2,Acme AG,acme.com\n",
        );
        let mut store = cspulse_engine::store::Store::open(&dir.db()).expect("store");
        store
            .import_file(
                &accounts,
                &cspulse_engine::import::Options::default(),
                false,
            )
            .expect("accounts import");
    }
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    let call = |cmd: &str, args: Value| invoke(&main, cmd, args);

    let book = call("link_book", json!({ "lang": "en" })).expect("link_book");
    let ids: Vec<&str> = book["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| a["account_id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["K-1", "K-2"]);
    assert_eq!(book["accounts"][0]["domain"], "nordwind.de");
    assert_eq!(book["links"], json!([]));

    // a proposal for a near name: nothing linked by asking
    let proposals = call(
        "link_proposals",
        json!({ "value": "Nordwind", "lang": "en" }),
    )
    .expect("link_proposals");
    assert_eq!(proposals[0]["account_id"], "K-1", "{proposals}");
    assert_eq!(
        call("link_book", json!({ "lang": "en" })).expect("book")["links"],
        json!([])
    );

    // the answer, stored and shown as one more name of the account
    let link = call(
        "link_value",
        json!({ "value": " Nordwind ", "accountId": "K-1", "lang": "en" }),
    )
    .expect("link_value");
    assert_eq!(link["value"], "Nordwind");
    assert_eq!(link["account_id"], "K-1");
    let book = call("link_book", json!({ "lang": "en" })).expect("book");
    assert_eq!(book["links"][0]["value"], "Nordwind");
    assert_eq!(book["accounts"][0]["aliases"], json!(["Nordwind"]));

    // not a customer
    let none = call(
        "link_value",
        json!({ "value": "jane@gmail.com", "accountId": null, "lang": "en" }),
    )
    .expect("not a customer");
    assert_eq!(none["account_id"], Value::Null);

    // an account no import holds, and an empty value: refused in the user's language
    let unknown = call(
        "link_value",
        json!({ "value": "Zeta", "accountId": "K-99", "lang": "de" }),
    )
    .expect_err("unknown account");
    assert_eq!(unknown["code"], "no_such_account", "{unknown}");
    assert!(unknown["message"]
        .as_str()
        .expect("message")
        .contains("K-99"));
    let empty = call(
        "link_value",
        json!({ "value": "  ", "accountId": "K-1", "lang": "en" }),
    )
    .expect_err("empty value");
    assert_eq!(empty["code"], "empty_link_value", "{empty}");

    // taken back
    assert_eq!(
        call("unlink_value", json!({ "value": "Nordwind", "lang": "en" })).expect("unlink"),
        json!(true)
    );
    assert_eq!(
        call("unlink_value", json!({ "value": "Nordwind", "lang": "en" })).expect("unlink"),
        json!(false)
    );
    let book = call("link_book", json!({ "lang": "en" })).expect("book");
    assert_eq!(book["accounts"][0]["aliases"], json!([]));
    assert_eq!(book["links"].as_array().expect("links").len(), 1);
}

#[test]
fn the_sample_companys_accounts_are_not_offered() {
    let dir = Tmp::new();
    let app = real_app(&dir.db());
    let main = window(&app, "main");
    // the first start loads the sample company
    invoke(&main, "get_dashboard", json!({ "lang": "en" })).expect("dashboard");
    let book = invoke(&main, "link_book", json!({ "lang": "en" })).expect("link_book");
    assert_eq!(book["accounts"], json!([]));
}
