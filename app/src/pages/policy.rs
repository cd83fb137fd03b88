//! `/politica` — the support policy in plain words (SPEC P1, P3, P6, P10,
//! P17, P18, P19–P24). The "Contacto" section (`#contacto`) is where P1 is
//! stated: there is no phone or e-mail path, open a ticket instead.
use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page::Page;
use crate::i18n::*;

#[component]
pub fn PolicyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Page title=|i| t_string!(i, policy.title) lead=|i| t_string!(i, policy.lead) class="policy-page">
            <nav class="toc" aria-label=move || t_string!(i18n, policy.toc)>
                <ul>
                    <li><a href="#contacto" rel="external">{t!(i18n, policy.contact_heading)}</a></li>
                    <li><a href="#servicios" rel="external">{t!(i18n, policy.free_heading)}</a></li>
                    <li><a href="#tiempos" rel="external">{t!(i18n, policy.times_heading)}</a></li>
                    <li><a href="#alcance" rel="external">{t!(i18n, policy.scope_heading)}</a></li>
                    <li><a href="#garantia" rel="external">{t!(i18n, policy.warranty_heading)}</a></li>
                    <li><a href="#polizas" rel="external">{t!(i18n, policy.plans_heading)}</a></li>
                </ul>
            </nav>

            <section id="contacto" class="callout" data-policy="contact">
                <h2>{t!(i18n, policy.contact_heading)}</h2>
                <p>
                    <strong>{t!(i18n, policy.contact_p1)}</strong>
                </p>
                <p>{t!(i18n, policy.contact_p2)}</p>
                <p>
                    <A href="/nuevo-ticket" attr:class="btn">{t!(i18n, policy.contact_cta)}</A>
                </p>
            </section>

            <section id="servicios" data-policy="services">
                <h2>{t!(i18n, policy.free_heading)}</h2>
                <p>{t!(i18n, policy.free_intro)}</p>
                <div class="two-cols">
                    <div>
                        <h3>{t!(i18n, policy.free_list)}</h3>
                        <ul>
                            <li>{t!(i18n, policy.free_1)}</li>
                            <li>{t!(i18n, policy.free_2)}</li>
                            <li>{t!(i18n, policy.free_3)}</li>
                        </ul>
                    </div>
                    <div>
                        <h3>{t!(i18n, policy.paid_list)}</h3>
                        <ul>
                            <li>{t!(i18n, policy.paid_1)}</li>
                            <li>{t!(i18n, policy.paid_2)}</li>
                            <li>{t!(i18n, policy.paid_3)}</li>
                        </ul>
                    </div>
                </div>
                <p>{t!(i18n, policy.paid_note)}</p>
            </section>

            <section id="tiempos" data-policy="sla">
                <h2>{t!(i18n, policy.times_heading)}</h2>
                <p>{t!(i18n, policy.times_intro)}</p>
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, policy.th_priority)}</th>
                                <th scope="col">{t!(i18n, policy.th_time)}</th>
                                <th scope="col">{t!(i18n, policy.th_applies)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <tr data-priority="low">
                                <th scope="row">{t!(i18n, policy.low)}</th>
                                <td>{t!(i18n, policy.low_time)}</td>
                                <td>{t!(i18n, policy.free_applies)}</td>
                            </tr>
                            <tr data-priority="medium">
                                <th scope="row">{t!(i18n, policy.medium)}</th>
                                <td>{t!(i18n, policy.medium_time)}</td>
                                <td>{t!(i18n, policy.free_applies)}</td>
                            </tr>
                            <tr data-priority="high">
                                <th scope="row">{t!(i18n, policy.high)}</th>
                                <td>{t!(i18n, policy.high_time)}</td>
                                <td>{t!(i18n, policy.high_applies)}</td>
                            </tr>
                        </tbody>
                    </table>
                </div>
                <p>{t!(i18n, policy.times_order)}</p>
                <p>{t!(i18n, policy.times_due)}</p>
            </section>

            <section id="alcance" data-policy="scope">
                <h2>{t!(i18n, policy.scope_heading)}</h2>
                <p>{t!(i18n, policy.scope_intro)}</p>
                <ul>
                    <li>{t!(i18n, policy.scope_dev)}</li>
                    <li>{t!(i18n, policy.scope_training)}</li>
                    <li>{t!(i18n, policy.scope_third)}</li>
                    <li>{t!(i18n, policy.scope_consulting)}</li>
                </ul>
                <p>{t!(i18n, policy.scope_note)}</p>
            </section>

            <section id="garantia" data-policy="warranty">
                <h2>{t!(i18n, policy.warranty_heading)}</h2>
                <p>{t!(i18n, policy.warranty_p1)}</p>
                <p>{t!(i18n, policy.warranty_p2)}</p>
                <p>{t!(i18n, policy.warranty_wait)}</p>
            </section>

            <section id="polizas" data-policy="plans">
                <h2>{t!(i18n, policy.plans_heading)}</h2>
                <p>{t!(i18n, policy.plans_intro)}</p>
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, policy.th_plan)}</th>
                                <th scope="col">{t!(i18n, policy.th_hours)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            <tr data-plan="per_event">
                                <th scope="row">{t!(i18n, policy.per_event)}</th>
                                <td>{t!(i18n, policy.per_event_hours)}</td>
                            </tr>
                            <tr data-plan="basic">
                                <th scope="row">{t!(i18n, policy.basic)}</th>
                                <td>{t!(i18n, policy.basic_hours)}</td>
                            </tr>
                            <tr data-plan="basic_plus">
                                <th scope="row">{t!(i18n, policy.basic_plus)}</th>
                                <td>{t!(i18n, policy.basic_plus_hours)}</td>
                            </tr>
                            <tr data-plan="business">
                                <th scope="row">{t!(i18n, policy.business)}</th>
                                <td>{t!(i18n, policy.business_hours)}</td>
                            </tr>
                            <tr data-plan="business_plus">
                                <th scope="row">{t!(i18n, policy.business_plus)}</th>
                                <td>{t!(i18n, policy.business_plus_hours)}</td>
                            </tr>
                        </tbody>
                    </table>
                </div>
                <p>{t!(i18n, policy.plans_expiry)}</p>
                <p>{t!(i18n, policy.plans_auth)}</p>
            </section>
        </Page>
    }
}
