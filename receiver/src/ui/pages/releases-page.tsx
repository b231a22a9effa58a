import { STATUSES } from "@sponge/core";
import { InputErrors } from "../components/input-errors.js";
import { Layout } from "../components/layout.js";
import { ReleaseTable } from "../components/release-table.js";
import { queryString } from "../links.js";
import type { ReleasesData } from "../page-data.js";
import { HISTORY_FIELDS } from "../query-params.js";

function TextField(props: {
  name: string;
  label: string;
  value: string | undefined;
  list?: string;
  placeholder?: string;
}) {
  return (
    <div class="field">
      <label for={`f-${props.name}`}>{props.label}</label>
      <input
        id={`f-${props.name}`}
        name={props.name}
        type="text"
        value={props.value ?? ""}
        list={props.list}
        placeholder={props.placeholder}
        autocomplete="off"
      />
    </div>
  );
}

function SelectField(props: {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly string[];
  any: string;
}) {
  const known = props.value === undefined || props.options.includes(props.value);
  return (
    <div class="field">
      <label for={`f-${props.name}`}>{props.label}</label>
      <select id={`f-${props.name}`} name={props.name}>
        <option value="">{props.any}</option>
        {known ? null : (
          <option value={props.value} selected>
            {props.value}
          </option>
        )}
        {props.options.map((option) => (
          <option value={option} selected={option === props.value}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

function DateField(props: { name: string; label: string; value: string | undefined }) {
  const day = props.value && /^\d{4}-\d{2}-\d{2}$/.test(props.value) ? props.value : undefined;
  return (
    <div class="field">
      <label for={`f-${props.name}`}>{props.label}</label>
      {day || !props.value ? (
        <input id={`f-${props.name}`} name={props.name} type="date" value={day ?? ""} />
      ) : (
        <input id={`f-${props.name}`} name={props.name} type="text" value={props.value} />
      )}
    </div>
  );
}

/** GET /releases: the release history with filters held in the URL and cursor pagination. */
export function ReleasesPage(props: ReleasesData) {
  const v = props.values;
  const filters = Object.fromEntries(HISTORY_FIELDS.map((field) => [field, v[field]]));
  const active = HISTORY_FIELDS.filter((field) => v[field]).length;
  return (
    <Layout title="Releases" section="releases" now={props.now}>
      <div class="page-head">
        <div>
          <h1>Releases</h1>
          <p>Every deployment, newest first. The address holds the filters: copy it to share this view.</p>
        </div>
      </div>
      <section class="card" aria-labelledby="filters-heading">
        <h2 id="filters-heading" class="visually-hidden">
          Filters
        </h2>
        <form method="get" action="/releases" class="filters" data-clean-query="" role="search">
          <TextField name="package" label="Package" value={v.package} list="package-options" />
          <SelectField
            name="environment"
            label="Environment"
            value={v.environment}
            options={props.options.environments}
            any="Any environment"
          />
          <SelectField name="team" label="Team" value={v.team} options={props.options.teams} any="Any team" />
          <TextField name="person" label="Person" value={v.person} list="person-options" />
          <SelectField name="status" label="Status" value={v.status} options={STATUSES} any="Any status" />
          <TextField
            name="reference"
            label="Reference"
            value={v.reference}
            placeholder="PAY-123 or acme/web#42"
          />
          <TextField name="host" label="Host" value={v.host} />
          <DateField name="since" label="From (UTC day)" value={v.since} />
          <DateField name="until" label="Until (UTC day, inclusive)" value={v.until} />
          <div class="actions">
            <button type="submit">Filter</button>
            {active > 0 ? (
              <a class="button secondary" href="/releases">
                Clear
              </a>
            ) : null}
          </div>
          <datalist id="package-options">
            {props.options.packages.map((name) => (
              <option value={name} />
            ))}
          </datalist>
          <datalist id="person-options">
            {props.options.people.map((name) => (
              <option value={name} />
            ))}
          </datalist>
        </form>
      </section>
      <section class="card" aria-labelledby="results-heading">
        <div class="card-head">
          <h2 id="results-heading">
            {props.errors.length > 0
              ? "No results"
              : props.releases.length === 0
                ? "No release matches"
                : `${props.releases.length}${props.next ? "+" : ""} release${props.releases.length === 1 ? "" : "s"}${props.paged ? " (older page)" : ""}`}
          </h2>
        </div>
        <InputErrors errors={props.errors} what="filters" />
        {props.releases.length > 0 ? (
          <ReleaseTable releases={props.releases} now={props.now} caption="Releases matching the filters" />
        ) : props.errors.length === 0 ? (
          <p class="empty">
            {active > 0
              ? "Nothing matches these filters. Widen the time range or clear a filter."
              : "No release has been recorded yet."}
          </p>
        ) : null}
        <nav class="pager" aria-label="Pages">
          {props.paged ? <a href={`/releases${queryString(filters)}`}>← Newest</a> : <span />}
          {props.next ? (
            <a href={`/releases${queryString({ ...filters, cursor: props.next })}`} rel="next">
              Older →
            </a>
          ) : null}
        </nav>
      </section>
    </Layout>
  );
}
