import { bucketStart, type DoraFigures, type DoraInterval, type DoraSummary } from "@sponge/core";
import { BarChart, LineChart } from "../components/charts.js";
import { InputErrors } from "../components/input-errors.js";
import { Layout } from "../components/layout.js";
import { RelTime } from "../components/rel-time.js";
import { formatDuration, formatPercent } from "../format.js";
import { releasePath } from "../links.js";
import type { DoraData } from "../page-data.js";
import { DRIFT_AHEAD_CAP, type DriftRow } from "../queries.js";

const durationTick = (value: number) => (value === 0 ? "0" : formatDuration(value));
const count = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
const perDay = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 2));

function Select(props: {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly { value: string; label: string }[];
  any?: string;
}) {
  return (
    <div class="field">
      <label for={`d-${props.name}`}>{props.label}</label>
      <select id={`d-${props.name}`} name={props.name}>
        {props.any ? <option value="">{props.any}</option> : null}
        {offered(props.options, props.value).map((option) => (
          <option value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The options, and the current value as one more when it is not among them, so the form shows what the page does. */
function offered(
  options: readonly { value: string; label: string }[],
  value: string | undefined,
): readonly { value: string; label: string }[] {
  return value === undefined || value === "" || options.some((option) => option.value === value)
    ? options
    : [...options, { value, label: value }];
}

/** A card comparing the figures of several teams or environments, and which were left out. */
function Breakdown(props: {
  id: string;
  title: string;
  caption: string;
  what: "team" | "environment";
  rows: readonly { name: string; figures: DoraFigures }[];
  notShown: readonly string[];
  href: (name: string) => string;
  empty: string;
}) {
  if (props.rows.length === 0 && props.notShown.length === 0) return null;
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.rows.length > 0 ? (
        <FiguresTable
          caption={props.caption}
          header={props.what === "team" ? "Team" : "Environment"}
          rows={props.rows.map((row) => ({
            name: row.name,
            href: props.href(row.name),
            figures: row.figures,
          }))}
        />
      ) : (
        <p class="empty">{props.empty}</p>
      )}
      <NotShown what={props.what} names={props.notShown} href={props.href} />
    </section>
  );
}

function FiguresTable(props: {
  caption: string;
  header: string;
  rows: readonly { name: string; href?: string; figures: DoraFigures }[];
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.header}</th>
            <th scope="col" class="num">
              Deployments
            </th>
            <th scope="col" class="num">
              Per day
            </th>
            <th scope="col" class="num">
              Lead time (median)
            </th>
            <th scope="col" class="num">
              Change failure rate
            </th>
            <th scope="col" class="num">
              Time to restore (median)
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              <th scope="row">{row.href ? <a href={row.href}>{row.name}</a> : row.name}</th>
              <td class="num">{row.figures.deployment_frequency.deployments}</td>
              <td class="num">{perDay(row.figures.deployment_frequency.per_day)}</td>
              <td class="num">{formatDuration(row.figures.lead_time.median_ms)}</td>
              <td class="num">
                {formatPercent(row.figures.change_failure_rate.rate)}
                <span class="muted small">
                  {" "}
                  ({row.figures.change_failure_rate.failures}/{row.figures.change_failure_rate.finished})
                </span>
              </td>
              <td class="num">{formatDuration(row.figures.time_to_restore.median_ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Whether a bucket is shorter than its interval: the window's first or last, clipped by it.
 *
 * @example clipped({ start: "2026-03-04T00:00:00.000Z", end: "2026-03-09T00:00:00.000Z" }, "week") // true
 */
export function clipped(bucket: { start: string; end: string }, interval: DoraInterval): boolean {
  const onBoundary = (iso: string) => bucketStart(Date.parse(iso), interval) === Date.parse(iso);
  return !onBoundary(bucket.start) || !onBoundary(bucket.end);
}

function Charts(props: { summary: DoraSummary; scope: string; interval: DoraInterval }) {
  const { summary, interval } = props;
  const series = summary.series;
  const partial = series.some((b) => clipped(b, interval));
  return (
    <div class="charts">
      <BarChart
        id="chart-frequency"
        title="Deployment frequency"
        headline={`${perDay(summary.deployment_frequency.per_day)} per day · ${summary.deployment_frequency.deployments} deployment${summary.deployment_frequency.deployments === 1 ? "" : "s"}`}
        description={`Succeeded deployments per period in ${props.scope}.${partial ? " Faded bars with a dashed outline are periods the window cuts short, so they count fewer days." : ""}`}
        seriesName="Deployments"
        points={series.map((b) => ({
          start: b.start,
          value: b.deployment_frequency.deployments,
          partial: clipped(b, interval),
        }))}
        format={count}
        kind="count"
        emptyText="No deployments in this window"
      />
      <LineChart
        id="chart-lead-time"
        title="Lead time for changes"
        headline={`${formatDuration(summary.lead_time.median_ms)} median · ${formatDuration(summary.lead_time.p90_ms)} p90`}
        description={`Median and 90th percentile time from commit to succeeded deployment per period in ${props.scope}.`}
        kind="duration"
        series={[
          { name: "Median", points: series.map((b) => ({ start: b.start, value: b.lead_time.median_ms })) },
          {
            name: "90th percentile",
            points: series.map((b) => ({ start: b.start, value: b.lead_time.p90_ms })),
          },
        ]}
        format={durationTick}
      />
      <BarChart
        id="chart-failure-rate"
        title="Change failure rate"
        headline={`${formatPercent(summary.change_failure_rate.rate)} · ${summary.change_failure_rate.failures} of ${summary.change_failure_rate.finished}`}
        description={`Share of finished releases per period that failed or were rolled back, in ${props.scope}.`}
        seriesName="Failure rate"
        points={series.map((b) => ({ start: b.start, value: b.change_failure_rate.rate }))}
        format={formatPercent}
      />
      <LineChart
        id="chart-restore"
        title="Time to restore"
        headline={`${formatDuration(summary.time_to_restore.median_ms)} median · ${summary.time_to_restore.restored} of ${summary.time_to_restore.failures} restored`}
        description={`Median time from a failure to the next succeeded deployment of the package, per period, in ${props.scope}.`}
        kind="duration"
        series={[
          {
            name: "Median",
            points: series.map((b) => ({ start: b.start, value: b.time_to_restore.median_ms })),
          },
        ]}
        format={durationTick}
      />
    </div>
  );
}

const packages = (n: number) => `${n} package${n === 1 ? "" : "s"}`;

/**
 * One sentence on the drift from `from` to `to`: how many of the packages current in `from` run another
 * version in `to`, and how many were never deployed there (those have no version there to differ).
 *
 * @example driftSummary("staging", "production", rows) // "Of the 3 packages current in staging, 1 runs a different version in production and 2 are not deployed there."
 */
export function driftSummary(from: string, to: string, rows: readonly DriftRow[]): string {
  const total = rows.length;
  if (total === 0) return `No package has a current version in ${from}.`;
  const missing = rows.filter((row) => row.to_release === null).length;
  const different = rows.filter(
    (row) => row.to_release !== null && row.from_version !== row.to_version,
  ).length;
  const runs = different === 1 ? "runs" : "run";
  const is = missing === 1 ? "is" : "are";
  if (missing === 0 && different === 0)
    return `Every package current in ${from} runs the same version in ${to}.`;
  if (missing === total) {
    return total === 1
      ? `The only package current in ${from} is not deployed to ${to}.`
      : `None of the ${packages(total)} current in ${from} is deployed to ${to}.`;
  }
  if (missing === 0)
    return `${different} of ${packages(total)} current in ${from} ${runs} a different version in ${to}.`;
  if (different === 0) {
    return `${missing} of ${packages(total)} current in ${from} ${is} not deployed to ${to}; the rest run the same version there.`;
  }
  return `Of the ${packages(total)} current in ${from}, ${different} ${runs} a different version in ${to} and ${missing} ${is} not deployed there.`;
}

/**
 * What the Drift column says of a package current in `from`, given what `to` runs: nothing deployed, the
 * same version, how many deployments of it `from` had since `to` got its version or, when there were none
 * (`to` got a version of its own later: a hotfix or a rollback), that `to` runs a different version.
 * `warn` marks the rows to look at: `to` lags behind or has never had the package.
 *
 * @example driftVerdict(row, "production") // { text: "3 deployments behind", warn: true }
 */
export function driftVerdict(row: DriftRow, to: string): { text: string; warn: boolean } {
  if (row.to_release === null) return { text: `never deployed to ${to}`, warn: true };
  if (row.from_version === row.to_version) return { text: "in sync", warn: false };
  if (row.ahead === 0) {
    const later = row.to_deployed_at !== null && row.to_deployed_at > row.from_deployed_at;
    return { text: `${to} runs a different version${later ? ", deployed later" : ""}`, warn: false };
  }
  const n = row.ahead >= DRIFT_AHEAD_CAP ? `${DRIFT_AHEAD_CAP}+` : String(row.ahead);
  return { text: `${n} deployment${row.ahead === 1 ? "" : "s"} behind`, warn: true };
}

function Drift(props: { drift: NonNullable<DoraData["drift"]>; now: Date }) {
  const { from, to, rows } = props.drift;
  return (
    <>
      <p>{driftSummary(from, to, rows)}</p>
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">
              Current versions in {from} and {to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col" class="environment">
                  {from}
                </th>
                <th scope="col" class="environment">
                  {to}
                </th>
                <th scope="col">Drift</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <th scope="row">{row.package}</th>
                  <td>
                    <a class="mono" href={releasePath(row.from_release)}>
                      {row.from_version ?? "?"}
                    </a>{" "}
                    <span class="small muted">
                      <RelTime iso={row.from_deployed_at} now={props.now} />
                    </span>
                  </td>
                  <td>
                    {row.to_release ? (
                      <>
                        <a class="mono" href={releasePath(row.to_release)}>
                          {row.to_version ?? "?"}
                        </a>{" "}
                        <span class="small muted">
                          <RelTime iso={row.to_deployed_at} now={props.now} />
                        </span>
                      </>
                    ) : (
                      <span class="muted">not deployed</span>
                    )}
                  </td>
                  <td>
                    <DriftVerdict row={row} to={to} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function DriftVerdict(props: { row: DriftRow; to: string }) {
  const { text, warn } = driftVerdict(props.row, props.to);
  if (warn) return <span class="drift-behind">{text}</span>;
  return <span class={text === "in sync" ? "muted" : "drift-other"}>{text}</span>;
}

const NOT_SHOWN_NAMED = 5;

/** Says which environments or teams a table left out, naming the first few with links to their own figures. */
function NotShown(props: {
  what: "environment" | "team";
  names: readonly string[];
  href: (name: string) => string;
}) {
  const { names, what } = props;
  if (names.length === 0) return null;
  const named = names.slice(0, NOT_SHOWN_NAMED);
  const others = names.length - named.length;
  return (
    <p class="small muted">
      {names.length} more {what}
      {names.length === 1 ? " is" : "s are"} not shown:{" "}
      {named.map((name, i) => (
        <>
          {i > 0 ? ", " : ""}
          <a href={props.href(name)}>{name}</a>
        </>
      ))}
      {others > 0 ? ` and ${others} other${others === 1 ? "" : "s"}` : ""}. Choose one as the {what} above for
      its figures.
    </p>
  );
}

/** GET /dora: the four DORA metrics over time, per team and environment, and staging-versus-production drift. */
export function DoraPage(props: DoraData) {
  const v = props.values;
  const environmentOptions = [
    ...props.options.environments.map((name) => ({ value: name, label: name })),
    ...props.options.tiers.map((tier) => ({
      value: `tier:${tier}`,
      label: `Every ${tier}-tier environment`,
    })),
  ];
  const environmentHref = (environment: string) =>
    `/dora?${new URLSearchParams({ ...definedValues(v), environment }).toString()}`;
  const teamHref = (team: string) => `/dora?${new URLSearchParams({ ...definedValues(v), team }).toString()}`;
  return (
    <Layout title="DORA metrics" section="dora" now={props.now}>
      <div class="page-head">
        <div>
          <h1>DORA metrics</h1>
          <p>
            Deployment frequency, lead time, change failure rate and time to restore for {props.scopeLabel}.
          </p>
        </div>
      </div>
      <section class="card" aria-labelledby="dora-filters">
        <h2 id="dora-filters" class="visually-hidden">
          Scope
        </h2>
        <form method="get" action="/dora" class="filters" data-clean-query="">
          <Select name="environment" label="Environment" value={v.environment} options={environmentOptions} />
          <Select
            name="team"
            label="Team"
            value={v.team}
            any="Every team"
            options={props.options.teams.map((team) => ({ value: team, label: team }))}
          />
          <Select
            name="range"
            label="Window"
            value={v.range}
            options={[
              { value: "30d", label: "Last 30 days" },
              { value: "90d", label: "Last 90 days" },
              { value: "180d", label: "Last 180 days" },
              { value: "365d", label: "Last year" },
            ]}
          />
          <Select
            name="interval"
            label="Per"
            value={v.interval}
            options={[
              { value: "day", label: "Day" },
              { value: "week", label: "Week" },
              { value: "month", label: "Month" },
            ]}
          />
          {v.drift_from ? <input type="hidden" name="drift_from" value={v.drift_from} /> : null}
          {v.drift_to ? <input type="hidden" name="drift_to" value={v.drift_to} /> : null}
          <div class="actions">
            <button type="submit">Show</button>
          </div>
        </form>
      </section>
      <InputErrors errors={props.errors} what="settings" />
      {props.unknownEnvironment !== null ? (
        <p class="alert" role="status">
          No release was ever recorded in {props.unknownEnvironment}
          {props.options.environments.length > 1
            ? `; the environments Sponge knows are ${props.options.environments.filter((name) => name !== props.unknownEnvironment).join(", ")}.`
            : "."}
        </p>
      ) : null}
      {props.summary ? (
        <Charts summary={props.summary} scope={props.scopeLabel} interval={props.interval} />
      ) : null}
      <Breakdown
        id="by-team"
        title="By team"
        caption={`Each team's figures in ${props.placeLabel} over the window`}
        what="team"
        rows={props.byTeam.map((row) => ({ name: row.team, figures: row.figures }))}
        notShown={props.teamsNotShown}
        href={teamHref}
        empty="No release finished over the window for the teams this table covers."
      />
      <Breakdown
        id="by-environment"
        title="By environment"
        caption="Each environment's figures over the window"
        what="environment"
        rows={props.byEnvironment.map((row) => ({ name: row.environment, figures: row.figures }))}
        notShown={props.environmentsNotShown}
        href={environmentHref}
        empty="No release finished over the window in the environments this table covers."
      />
      <section class="card" aria-labelledby="drift-heading">
        <div class="card-head">
          <h2 id="drift-heading">Drift between environments</h2>
          <form method="get" action="/dora#drift-heading" class="actions" data-clean-query="">
            {(["environment", "team", "range", "interval"] as const).map((name) =>
              v[name] ? <input type="hidden" name={name} value={v[name]} /> : null,
            )}
            <Select
              name="drift_from"
              label="Ahead"
              value={props.drift?.from ?? v.drift_from}
              options={props.options.environments.map((name) => ({ value: name, label: name }))}
            />
            <Select
              name="drift_to"
              label="Behind"
              value={props.drift?.to ?? v.drift_to}
              options={props.options.environments.map((name) => ({ value: name, label: name }))}
            />
            <button type="submit">Compare</button>
          </form>
        </div>
        {props.drift ? (
          <Drift drift={props.drift} now={props.now} />
        ) : v.drift_from !== undefined && v.drift_from === v.drift_to ? (
          <p class="empty">
            Ahead and Behind are both {v.drift_from}: pick two different environments to compare.
          </p>
        ) : (
          <p class="empty">Pick two environments to compare.</p>
        )}
      </section>
    </Layout>
  );
}

function definedValues(values: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => !!entry[1]));
}
