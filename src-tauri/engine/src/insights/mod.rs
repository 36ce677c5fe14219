//! What the board asks after the KPIs (`insights.md`): where the numbers come from
//! ([`breakdown`]), whether the score can be trusted ([`backtest`], [`preview`],
//! [`coverage`]), what is coming ([`renewals`]) and what the CS lead says about it (notes,
//! in the store). Pure computations over a [`Window`](crate::window::Window)'s data, like
//! `kpi` and `score`; the `from_store` functions open the window.

pub mod breakdown;
