// EffectivenessJson and EffectivenessHtml: one report, two forms. The HTML
// page is self-contained (inline CSS and SVG, no scripts, no fetches), so it
// can be mailed or archived as evidence.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hitlgate/codec/json_writer.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/measure/effectiveness.h"

namespace hitlgate::measure {
namespace {

std::string TimeOrEmpty(TimePoint t) {
  if (t == TimePoint{} || t == TimePoint::max()) return {};
  return FormatRfc3339(t);
}

void WriteProportion(const Proportion& p, codec::JsonWriter& w) {
  w.BeginObject().Field("n", p.n).Field("hits", p.hits);
  w.Key("share").Number(p.share, 4).Key("low").Number(p.low, 4).Key("high").Number(p.high, 4);
  w.EndObject();
}

void WriteRates(std::string_view key, const std::vector<RateRow>& rows, codec::JsonWriter& w) {
  w.Key(key).BeginArray();
  for (const RateRow& r : rows) {
    w.BeginObject().Field("key", r.key).Field("events", r.events).Field("escalations", r.escalations);
    w.Key("rate").Number(r.rate, 4).EndObject();
  }
  w.EndArray();
}

void WritePercentiles(const Percentiles& p, codec::JsonWriter& w) {
  w.BeginObject().Field("count", p.count);
  w.Key("mean").Number(p.mean, 2).Key("p50").Number(p.p50, 2).Key("p90").Number(p.p90, 2);
  w.Key("p95").Number(p.p95, 2).Key("p99").Number(p.p99, 2).Key("max").Number(p.max, 2);
  w.EndObject();
}

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string Pct(double v) { return Fmt("%.1f%%", 100 * v); }

// Horizontal bars, one per row, value in [0, max]; optional interval whiskers.
struct Bar {
  std::string label;
  double value = 0;
  double low = NAN, high = NAN;
  std::string text;
};

std::string BarChart(const std::vector<Bar>& bars, double max) {
  if (bars.empty()) return "<p class=muted>no data</p>";
  const int row = 24, label_w = 190, plot_w = 360, height = row * static_cast<int>(bars.size()) + 8;
  if (!(max > 0)) max = 1;
  std::string s = "<svg role=img width=\"" + std::to_string(label_w + plot_w + 120) + "\" height=\"" +
                  std::to_string(height) + "\">";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const int y = static_cast<int>(i) * row + 4;
    const double w = std::clamp(b.value / max, 0.0, 1.0) * plot_w;
    s += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 15) +
         "\" text-anchor=end>" + Escape(b.label) + "</text>";
    s += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
         Fmt("%.1f", w) + "\" height=\"16\" fill=\"#4a7bd0\"/>";
    if (std::isfinite(b.low) && std::isfinite(b.high)) {
      const double x1 = label_w + std::clamp(b.low / max, 0.0, 1.0) * plot_w;
      const double x2 = label_w + std::clamp(b.high / max, 0.0, 1.0) * plot_w;
      const std::string ym = std::to_string(y + 11);
      s += "<line x1=\"" + Fmt("%.1f", x1) + "\" x2=\"" + Fmt("%.1f", x2) + "\" y1=\"" + ym + "\" y2=\"" + ym +
           "\" stroke=\"#222\" stroke-width=\"1.5\"/>";
    }
    s += "<text x=\"" + std::to_string(label_w + plot_w + 8) + "\" y=\"" + std::to_string(y + 15) + "\">" +
         Escape(b.text) + "</text>";
  }
  return s + "</svg>";
}

// Escalation rate per time bucket as a line over a bar of volume.
std::string TimeChart(const std::vector<TimeBucket>& buckets) {
  if (buckets.empty()) return "<p class=muted>no data</p>";
  const int w = 640, h = 180, pad = 30;
  std::int64_t max_events = 1;
  double max_rate = 0.05;
  for (const TimeBucket& b : buckets) {
    max_events = std::max(max_events, b.events);
    if (b.events > 0) max_rate = std::max(max_rate, double(b.escalations) / b.events);
  }
  const double step = double(w - 2 * pad) / buckets.size();
  std::string s = "<svg role=img width=\"" + std::to_string(w) + "\" height=\"" + std::to_string(h) + "\">";
  std::string line;
  for (size_t i = 0; i < buckets.size(); ++i) {
    const TimeBucket& b = buckets[i];
    const double x = pad + i * step;
    const double bh = double(b.events) / max_events * (h - 2 * pad);
    s += "<rect x=\"" + Fmt("%.1f", x) + "\" y=\"" + Fmt("%.1f", h - pad - bh) + "\" width=\"" +
         Fmt("%.1f", std::max(step - 1, 1.0)) + "\" height=\"" + Fmt("%.1f", bh) + "\" fill=\"#dde5f3\"/>";
    if (b.events > 0) {
      const double rate = double(b.escalations) / b.events;
      const double y = h - pad - rate / max_rate * (h - 2 * pad);
      line += (line.empty() ? "" : " ") + Fmt("%.1f", x + step / 2) + "," + Fmt("%.1f", y);
    }
  }
  s += "<polyline fill=none stroke=\"#c0392b\" stroke-width=\"2\" points=\"" + line + "\"/>";
  s += "<text x=\"" + std::to_string(pad) + "\" y=\"14\">escalation rate (line, max " + Pct(max_rate) +
       "), events per bucket (bars, max " + std::to_string(max_events) + ")</text>";
  s += "<text x=\"" + std::to_string(pad) + "\" y=\"" + std::to_string(h - 8) + "\">" +
       Escape(TimeOrEmpty(buckets.front().start)) + "</text>";
  return s + "</svg>";
}

std::vector<Bar> RateBars(const std::vector<RateRow>& rows, size_t limit) {
  std::vector<Bar> bars;
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    bars.push_back({rows[i].key, rows[i].rate, NAN, NAN,
                    Pct(rows[i].rate) + " (" + std::to_string(rows[i].escalations) + "/" +
                        std::to_string(rows[i].events) + ")"});
  }
  return bars;
}

double MaxRate(const std::vector<Bar>& bars) {
  double m = 0;
  for (const Bar& b : bars) m = std::max(m, std::isfinite(b.high) ? b.high : b.value);
  return m;
}

}  // namespace

std::string EffectivenessJson(const EffectivenessReport& r) {
  codec::JsonWriter w;
  w.BeginObject();
  w.Field("from", TimeOrEmpty(r.from)).Field("to", TimeOrEmpty(r.to)).Field("as_of", TimeOrEmpty(r.as_of));
  w.Field("interactions", r.interactions);
  const EscalationFigures& e = r.escalation;
  w.Key("escalation").BeginObject().Field("events", e.events).Field("escalations", e.escalations);
  w.Key("rate").Number(e.rate, 4);
  WriteRates("by_trigger", e.by_trigger, w);
  WriteRates("by_intent", e.by_intent, w);
  WriteRates("by_workflow", e.by_workflow, w);
  WriteRates("by_channel", e.by_channel, w);
  w.Key("by_language").BeginArray();
  for (const LanguageRow& l : e.by_language) {
    w.BeginObject().Field("language", l.language).Field("events", l.events).Field("escalations", l.escalations);
    w.Field("holds", l.holds).Field("handoffs", l.handoffs);
    w.Key("rate").Number(l.rate, 4).Field("customer_messages", l.customer_messages);
    w.Field("human_requests", l.human_requests).Key("human_request_rate").Number(l.human_request_rate, 4);
    w.Key("sentiment_mean").Number(l.sentiment_mean, 3).EndObject();
  }
  w.EndArray();
  w.Field("bucket_seconds", static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(e.bucket).count()));
  w.Key("over_time").BeginArray();
  for (const TimeBucket& b : e.over_time) {
    w.BeginObject().Field("start", FormatRfc3339(b.start)).Field("events", b.events).Field("escalations", b.escalations).EndObject();
  }
  w.EndArray().EndObject();
  const RetentionFigures& ret = r.retention;
  w.Key("handoff_context_retention").BeginObject().Field("handoffs", ret.handoffs);
  w.Field("observable", ret.observable).Field("customer_repeated", ret.repeated);
  w.Key("repeated_share");
  WriteProportion(ret.share, w);
  w.Key("by_kind").BeginObject();
  for (const auto& [k, n] : ret.by_kind) w.Field(k, n);
  w.EndObject();
  w.Key("examples").BeginArray();
  for (const RetentionExample& x : ret.examples) {
    w.BeginObject().Field("interaction_id", x.interaction_id).Field("kind", x.kind).Field("what", x.what).EndObject();
  }
  w.EndArray().EndObject();
  w.Key("resolution_seconds").BeginObject().Key("all");
  WritePercentiles(r.resolution.all, w);
  w.Key("by_queue").BeginArray();
  for (const auto& [q, p] : r.resolution.by_queue) {
    w.BeginObject().Field("queue", q).Key("percentiles");
    WritePercentiles(p, w);
    w.EndObject();
  }
  w.EndArray().EndObject();
  w.Key("csat").BeginObject().Key("groups").BeginArray();
  for (const CsatGroup& g : r.csat.groups) {
    w.BeginObject().Field("group", g.group).Field("responses", g.responses);
    w.Key("mean").Number(g.mean, 3).Key("mean_low").Number(g.mean_low, 3).Key("mean_high").Number(g.mean_high, 3);
    w.Key("satisfied");
    WriteProportion(g.satisfied, w);
    w.EndObject();
  }
  w.EndArray();
  if (r.csat.delta_known) {
    w.Key("satisfied_delta_human_minus_ai").BeginObject();
    w.Key("delta").Number(r.csat.delta, 4).Key("low").Number(r.csat.delta_low, 4).Key("high").Number(r.csat.delta_high, 4);
    w.EndObject();
  }
  w.EndObject();
  w.Key("sla").BeginArray();
  for (const SlaRow& s : r.sla) {
    w.BeginObject().Field("queue", s.queue).Field("tasks", s.tasks).Field("met", s.met).Field("open_overdue", s.open_overdue);
    w.Key("attainment");
    WriteProportion(s.attainment, w);
    w.EndObject();
  }
  w.EndArray();
  w.Key("reviewers").BeginArray();
  for (const ReviewerRow& v : r.reviewers) {
    w.BeginObject().Field("reviewer", v.reviewer).Field("claims", v.claims).Field("verdicts", v.verdicts);
    w.Field("approved", v.approved).Field("edited", v.edited).Field("rejected", v.rejected).Field("taken_over", v.taken_over);
    w.Key("mean_handle_seconds").Number(v.mean_handle_seconds, 2);
    w.Key("agreement_with_ai");
    WriteProportion(v.agreement, w);
    w.EndObject();
  }
  w.EndArray();
  w.Key("agreement_with_ai");
  WriteProportion(r.agreement, w);
  w.Key("assist").BeginObject().Key("acceptance");
  WriteProportion(r.assist.acceptance, w);
  w.Key("handle_seconds_with_used");
  WritePercentiles(r.assist.handle_with_used, w);
  w.Key("handle_seconds_without_used");
  WritePercentiles(r.assist.handle_without_used, w);
  w.Field("judgements", r.assist.judgements).EndObject();
  w.Key("audit_samples").BeginObject().Field("samples", r.audit_samples.samples);
  w.Field("reviewed", r.audit_samples.reviewed).Field("findings", r.audit_samples.findings).EndObject();
  w.EndObject();
  return w.Take();
}

std::string EffectivenessHtml(const EffectivenessReport& r) {
  std::string h;
  h += "<!doctype html><html lang=en><head><meta charset=utf-8><title>hitlgate: effectiveness of oversight</title>"
       "<style>body{font:14px system-ui,sans-serif;margin:24px auto;max-width:980px;color:#222}"
       "h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}"
       "table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}"
       "td:first-child,th:first-child{text-align:left}.muted{color:#777}svg text{font:12px system-ui,sans-serif}"
       ".kpi{display:inline-block;margin:6px 18px 6px 0}.kpi b{display:block;font-size:22px}</style></head><body>";
  h += "<h1>Effectiveness of oversight</h1><p class=muted>" + Escape(TimeOrEmpty(r.from).empty() ? "beginning" : TimeOrEmpty(r.from)) +
       " to " + Escape(TimeOrEmpty(r.to).empty() ? "now" : TimeOrEmpty(r.to)) + "; as of " + Escape(TimeOrEmpty(r.as_of)) +
       "; " + std::to_string(r.interactions) + " interactions. The same figures are in the JSON report.</p>";
  const EscalationFigures& e = r.escalation;
  h += "<div class=kpi><b>" + Pct(e.rate) + "</b>escalation rate</div>";
  h += "<div class=kpi><b>" + (r.retention.observable ? Pct(r.retention.share.share) : "n/a") +
       "</b>handoffs where the customer repeated</div>";
  h += "<div class=kpi><b>" + (r.resolution.all.count ? Fmt("%.0f s", r.resolution.all.p50) : "n/a") +
       "</b>median resolution after escalation</div>";
  h += "<div class=kpi><b>" + (r.agreement.n ? Pct(r.agreement.share) : "n/a") + "</b>held proposals approved as is</div>";

  h += "<h2>Escalation rate</h2><p>" + std::to_string(e.escalations) + " of " + std::to_string(e.events) +
       " events were held or handed off.</p>";
  h += TimeChart(e.over_time);
  auto triggers = RateBars(e.by_trigger, 12);
  h += "<h3>by trigger (escalations it caused, over all events)</h3>" + BarChart(triggers, MaxRate(triggers));
  auto intents = RateBars(e.by_intent, 12);
  h += "<h3>by intent</h3>" + BarChart(intents, MaxRate(intents));
  auto workflows = RateBars(e.by_workflow, 12);
  h += "<h3>by workflow</h3>" + BarChart(workflows, MaxRate(workflows));
  auto channels = RateBars(e.by_channel, 12);
  h += "<h3>by channel</h3>" + BarChart(channels, MaxRate(channels));
  h += "<h3>by language</h3><table><tr><th>language</th><th>events</th><th>holds</th><th>handoffs</th>"
       "<th>escalation rate</th><th>customer messages</th><th>asked for a person</th><th>mean sentiment</th></tr>";
  for (const LanguageRow& l : e.by_language) {
    h += "<tr><td>" + Escape(l.language) + "</td><td>" + std::to_string(l.events) + "</td><td>" + std::to_string(l.holds) +
         "</td><td>" + std::to_string(l.handoffs) + "</td><td>" + Pct(l.rate) + "</td><td>" +
         std::to_string(l.customer_messages) + "</td><td>" + Pct(l.human_request_rate) + "</td><td>" +
         Fmt("%+.2f", l.sentiment_mean) + "</td></tr>";
  }
  h += "</table>";

  const RetentionFigures& ret = r.retention;
  h += "<h2>Handoff context retention</h2><p>" + std::to_string(ret.handoffs) + " handoffs; " +
       std::to_string(ret.observable) + " with customer messages after the handoff; in " +
       std::to_string(ret.repeated) + " of them the customer repeated something the AI had already collected (" +
       (ret.observable ? Pct(ret.share.share) + ", 95% CI " + Pct(ret.share.low) + "–" + Pct(ret.share.high) : "n/a") +
       "). Repeated: identifiers (order, account, phone numbers, e-mails), collected slots, or the problem "
       "itself (most of the message's words already said).</p><table><tr><th>kind</th><th>handoffs</th></tr>";
  for (const auto& [k, n] : ret.by_kind) h += "<tr><td>" + Escape(k) + "</td><td>" + std::to_string(n) + "</td></tr>";
  h += "</table><table><tr><th>interaction</th><th>kind</th><th>what</th></tr>";
  for (const RetentionExample& x : ret.examples) {
    h += "<tr><td>" + Escape(x.interaction_id) + "</td><td>" + Escape(x.kind) + "</td><td>" + Escape(x.what) + "</td></tr>";
  }
  h += "</table>";

  h += "<h2>Resolution time after escalation</h2><p>From the task's creation to its verdict.</p>"
       "<table><tr><th>queue</th><th>tasks</th><th>mean s</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>max</th></tr>";
  auto row = [&](const std::string& name, const Percentiles& p) {
    h += "<tr><td>" + Escape(name) + "</td><td>" + std::to_string(p.count) + "</td><td>" + Fmt("%.1f", p.mean) +
         "</td><td>" + Fmt("%.1f", p.p50) + "</td><td>" + Fmt("%.1f", p.p90) + "</td><td>" + Fmt("%.1f", p.p95) +
         "</td><td>" + Fmt("%.1f", p.p99) + "</td><td>" + Fmt("%.1f", p.max) + "</td></tr>";
  };
  row("all queues", r.resolution.all);
  std::vector<Bar> p90s;
  for (const auto& [q, p] : r.resolution.by_queue) {
    row(q, p);
    p90s.push_back({q, p.p50, p.p50, p.p90, Fmt("p50 %.0f s", p.p50) + Fmt(", p90 %.0f s", p.p90)});
  }
  h += "</table>" + BarChart(p90s, MaxRate(p90s));

  h += "<h2>Customer satisfaction</h2><p>Share satisfied (4 or 5 of 5) with 95% Wilson intervals; AI-resolved: "
       "no person involved; escalated: a person approved, edited or rejected a proposal; human-resolved: handed off "
       "or taken over.</p>";
  std::vector<Bar> csat;
  h += "<table><tr><th>group</th><th>responses</th><th>satisfied</th><th>95% CI</th><th>mean (1–5)</th><th>95% CI</th></tr>";
  for (const CsatGroup& g : r.csat.groups) {
    h += "<tr><td>" + Escape(g.group) + "</td><td>" + std::to_string(g.responses) + "</td><td>" +
         (g.responses ? Pct(g.satisfied.share) : "n/a") + "</td><td>" +
         (g.responses ? Pct(g.satisfied.low) + "–" + Pct(g.satisfied.high) : "") + "</td><td>" +
         (g.responses ? Fmt("%.2f", g.mean) : "n/a") + "</td><td>" +
         (g.responses ? Fmt("%.2f", g.mean_low) + "–" + Fmt("%.2f", g.mean_high) : "") + "</td></tr>";
    if (g.responses) csat.push_back({g.group, g.satisfied.share, g.satisfied.low, g.satisfied.high, Pct(g.satisfied.share)});
  }
  h += "</table>" + BarChart(csat, 1.0);
  if (r.csat.delta_known) {
    h += "<p>Human-resolved minus AI-resolved satisfied share: " + Fmt("%+.1f", 100 * r.csat.delta) +
         " points (95% CI " + Fmt("%+.1f", 100 * r.csat.delta_low) + " to " + Fmt("%+.1f", 100 * r.csat.delta_high) + ").</p>";
  }

  h += "<h2>SLA attainment</h2><table><tr><th>queue</th><th>tasks due</th><th>answered in time</th><th>open past due</th><th>attainment</th><th>95% CI</th></tr>";
  for (const SlaRow& s : r.sla) {
    h += "<tr><td>" + Escape(s.queue) + "</td><td>" + std::to_string(s.tasks) + "</td><td>" + std::to_string(s.met) +
         "</td><td>" + std::to_string(s.open_overdue) + "</td><td>" + (s.tasks ? Pct(s.attainment.share) : "n/a") +
         "</td><td>" + (s.tasks ? Pct(s.attainment.low) + "–" + Pct(s.attainment.high) : "") + "</td></tr>";
  }
  h += "</table>";

  h += "<h2>Reviewers: workload and agreement with the AI</h2><p>Agreement: held proposals approved as is (" +
       (r.agreement.n ? Pct(r.agreement.share) + " of " + std::to_string(r.agreement.n) : std::string("none yet")) +
       ").</p><table><tr><th>reviewer</th><th>claims</th><th>verdicts</th><th>approved</th><th>edited</th><th>rejected</th>"
       "<th>taken over</th><th>mean handling s</th><th>agreement</th></tr>";
  for (const ReviewerRow& v : r.reviewers) {
    h += "<tr><td>" + Escape(v.reviewer) + "</td><td>" + std::to_string(v.claims) + "</td><td>" + std::to_string(v.verdicts) +
         "</td><td>" + std::to_string(v.approved) + "</td><td>" + std::to_string(v.edited) + "</td><td>" +
         std::to_string(v.rejected) + "</td><td>" + std::to_string(v.taken_over) + "</td><td>" +
         Fmt("%.1f", v.mean_handle_seconds) + "</td><td>" + (v.agreement.n ? Pct(v.agreement.share) : "n/a") + "</td></tr>";
  }
  h += "</table>";
  h += "<h2>Audit samples</h2><p>" + std::to_string(r.audit_samples.samples) + " autonomous conversations sampled, " +
       std::to_string(r.audit_samples.reviewed) + " reviewed, " + std::to_string(r.audit_samples.findings) +
       " with a finding (edited or rejected).</p>";
  h += "</body></html>\n";
  return h;
}

}  // namespace hitlgate::measure
