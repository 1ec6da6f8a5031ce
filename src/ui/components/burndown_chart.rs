//! The plan's burndown: numbers left to fix, day by day, against the straight line to none at
//! the deadline. An SVG with a text summary for screen readers, and the days as a table behind
//! a disclosure, so the figures are never colour and shape alone.

use leptos::prelude::*;

use crate::domain::rules::burndown::{Burndown, Chart, DayCount};
use crate::domain::time::calendar::Date;
use crate::domain::wording::grouped;
use crate::store::progress;
use crate::ui::state::{today, use_app};

/// The drawing's size in SVG units. It is stretched to the card (the lines keep their width),
/// and its labels are text beside it, so they stay readable at 360 px.
const WIDTH: f32 = 600.0;
const HEIGHT: f32 = 180.0;
/// Room for the lines' width at the edges.
const PAD: f32 = 3.0;

/// SVG points for unit-square points.
fn points(unit: &[(f32, f32)]) -> String {
    unit.iter()
        .map(|(x, y)| {
            format!(
                "{:.1},{:.1}",
                PAD + x * (WIDTH - 2.0 * PAD),
                PAD + y * (HEIGHT - 2.0 * PAD)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the chart shows, in words: the first and the latest recorded day, and the aim.
fn summary(series: &Burndown, chart: &Chart, deadline: Option<Date>) -> String {
    let said = |d: &DayCount| format!("{} on {}", grouped(d.left as usize), d.day);
    let days = match (series.days().first(), series.days().last()) {
        (Some(first), Some(last)) if first.day != last.day => {
            format!("{}, {}", said(first), said(last))
        }
        (_, Some(last)) => said(last),
        _ => String::new(),
    };
    let aim = match (deadline, chart.ideal) {
        (Some(d), Some(_)) => format!("; the line aims at none left by {d}"),
        _ => String::new(),
    };
    format!("Numbers left to fix: {days}{aim}.")
}

/// The burndown card; `deadline` is the programme's, if set.
#[component]
pub fn BurndownChart(deadline: Option<Date>) -> impl IntoView {
    let state = use_app();
    let series = LocalResource::new(move || {
        state.revision.track();
        let db = state.db();
        // Today's count first: the background records it on every change, but this page must
        // not show a series one change behind (its error, if any, is the read's too).
        async move {
            let _ = progress::record(&db, today()).await;
            progress::read(&db).await
        }
    });
    view! {
        <section class="card burndown" aria-labelledby="burndown-heading">
            <h2 id="burndown-heading">"Burndown"</h2>
            {move || series.get().map(|r| match r {
                Err(e) => view! { <p class="notice error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(series) => match series.chart(today(), deadline) {
                    None => view! {
                        <p class="hint">"regdesk counts the numbers left to fix at the end of each day it is open. The line appears once there are two days to draw (or a deadline to aim at)."</p>
                    }.into_any(),
                    Some(chart) => {
                        let label = summary(&series, &chart, deadline);
                        view! {
                            <div class="burndown-plot">
                                <div class="burndown-y" aria-hidden="true"><span>{grouped(chart.top as usize)}</span><span>"0"</span></div>
                                <svg class="burndown-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img" aria-label=label.clone()>
                                    <polyline class="axis" points=points(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)])/>
                                    {chart.ideal.map(|ideal| view! { <polyline class="ideal" points=points(&ideal)/> })}
                                    <polyline class="actual" points=points(&chart.actual)/>
                                </svg>
                                <div class="burndown-x" aria-hidden="true"><span>{chart.start.to_string()}</span><span>{chart.end.to_string()}</span></div>
                            </div>
                            <p class="burndown-legend"><span class="key actual"></span>" numbers left "
                                {chart.ideal.is_some().then_some(view! { <span class="key ideal"></span>" on course for the deadline" })}</p>
                            <details>
                                <summary>"The days"</summary>
                                <table class="burndown-days">
                                    <thead><tr><th scope="col">"Day"</th><th scope="col">"Left to fix"</th><th scope="col">"Regulated"</th></tr></thead>
                                    <tbody>
                                        {series.days().iter().rev().map(|d| view! {
                                            <tr><td>{d.day.to_string()}</td><td>{grouped(d.left as usize)}</td><td>{grouped(d.regulated as usize)}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </details>
                        }.into_any()
                    }
                },
            })}
        </section>
    }
}
