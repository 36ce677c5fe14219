//! Engagement: CSM touchpoints and coverage; email, web, social and event campaign figures.

use super::retention::customers;
use super::{covered, no_data, pct, ratio, window_90, Ctx, Val};
use crate::model::{Campaign, Channel, Kind};
use rustc_hash::FxHashSet as HashSet;

fn sum(rows: &[&Campaign], f: fn(&Campaign) -> Option<f64>) -> f64 {
    rows.iter().filter_map(|r| f(r)).sum()
}

/// `no_data` when no row of `ch` in the whole dataset has the field: the export lacks it.
fn field(
    c: &Ctx,
    ch: Channel,
    f: fn(&Campaign) -> Option<f64>,
    needs: &'static str,
) -> Result<(), super::Miss> {
    if c.data
        .campaigns
        .iter()
        .any(|r| r.channel == ch && f(r).is_some())
    {
        Ok(())
    } else {
        Err(no_data(needs))
    }
}

pub(super) fn all(c: &Ctx, push: &mut impl FnMut(&str, Val)) {
    let m = c.month;
    let tp_cov = covered(c.data, Kind::Touchpoints, m);
    let tp = || tp_cov.clone();
    let count = c
        .data
        .touchpoints
        .iter()
        .filter(|t| m.contains(t.date))
        .count() as f64;
    push("touchpoints", tp().map(|_| count));
    push(
        "touchpoints_per_account",
        tp().and_then(|_| ratio(count, customers(c, m)?)),
    );
    let coverage = || -> Val {
        tp()?;
        let customers = customers(c, m)?;
        let (from, to) = window_90(m);
        let touched: HashSet<&str> = c
            .data
            .touchpoints
            .iter()
            .filter(|t| t.date >= from && t.date <= to)
            .map(|t| t.account_id.as_str())
            .collect();
        let act = &c.activity;
        let n = act
            .active_in(m)
            .filter(|&i| touched.contains(act.id(i)))
            .count();
        pct(n as f64, customers)
    };
    push("contact_coverage", coverage());

    let cov = covered(c.data, Kind::Campaigns, m);
    let channel = |ch: Channel, needs: &'static str| -> Result<Vec<&Campaign>, super::Miss> {
        cov.clone()?;
        if !c.data.campaigns.iter().any(|r| r.channel == ch) {
            return Err(no_data(needs));
        }
        Ok(c.data
            .campaigns
            .iter()
            .filter(|r| r.channel == ch && m.contains(r.date))
            .collect())
    };
    let email = channel(Channel::Email, "campaigns.email");
    let email_rate = |f: fn(&Campaign) -> Option<f64>, needs: &'static str| -> Val {
        let rows = email.clone()?;
        field(
            c,
            Channel::Email,
            |r| r.delivered.or(r.sent),
            "campaigns.delivered",
        )?;
        field(c, Channel::Email, f, needs)?;
        // the base is Σ delivered when the export has that column, else Σ sent
        let delivered_mapped = field(c, Channel::Email, |r| r.delivered, "").is_ok();
        let base = if delivered_mapped {
            sum(&rows, |r| r.delivered)
        } else {
            sum(&rows, |r| r.sent)
        };
        pct(sum(&rows, f), base)
    };
    push(
        "email_open_rate",
        email_rate(|r| r.opened, "campaigns.opened"),
    );
    push("email_ctr", email_rate(|r| r.clicked, "campaigns.clicked"));
    push(
        "email_conversion_rate",
        email_rate(|r| r.converted, "campaigns.converted"),
    );
    push(
        "unsubscribe_rate",
        email_rate(|r| r.unsubscribed, "campaigns.unsubscribed"),
    );

    let web = channel(Channel::Web, "campaigns.web");
    let web_sum = |f: fn(&Campaign) -> Option<f64>, needs: &'static str| -> Val {
        let rows = web.clone()?;
        field(c, Channel::Web, f, needs)?;
        Ok(sum(&rows, f))
    };
    let views = || web_sum(|r| r.page_views, "campaigns.page_views");
    let sessions = || web_sum(|r| r.sessions, "campaigns.sessions");
    push("page_views", views());
    push(
        "bounce_rate",
        web_sum(|r| r.bounces, "campaigns.bounces").and_then(|b| pct(b, sessions()?)),
    );
    push(
        "exit_rate",
        web_sum(|r| r.exits, "campaigns.exits").and_then(|e| pct(e, views()?)),
    );
    push(
        "avg_web_session_minutes",
        web_sum(|r| r.duration_seconds, "campaigns.duration_seconds")
            .and_then(|d| ratio(d, sessions()?))
            .map(|s| s / 60.0),
    );

    let social = channel(Channel::Social, "campaigns.social");
    let social_fields = field(
        c,
        Channel::Social,
        |r| r.likes.or(r.shares).or(r.comments).or(r.clicks),
        "campaigns.likes",
    );
    push(
        "social_interactions",
        social
            .and_then(|rows| social_fields.map(|_| rows))
            .map(|rows| {
                sum(&rows, |r| r.likes)
                    + sum(&rows, |r| r.shares)
                    + sum(&rows, |r| r.comments)
                    + sum(&rows, |r| r.clicks)
            }),
    );

    let event = channel(Channel::Event, "campaigns.event");
    let regs = event.clone().and_then(|rows| {
        field(
            c,
            Channel::Event,
            |r| r.registrations,
            "campaigns.registrations",
        )?;
        Ok(sum(&rows, |r| r.registrations))
    });
    let att = event.and_then(|rows| {
        field(c, Channel::Event, |r| r.attendees, "campaigns.attendees")?;
        Ok(sum(&rows, |r| r.attendees))
    });
    push("event_registrations", regs.clone());
    push("event_attendees", att.clone());
    push("event_attendance_rate", att.and_then(|a| pct(a, regs?)));
}
