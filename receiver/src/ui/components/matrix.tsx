import { releasePath } from "../links.js";
import { type CurrentCell, cellKey, type LatestAttempt, type MatrixCell } from "../queries.js";
import { RelTime } from "./rel-time.js";
import { RollbackBadge, StatusBadge } from "./status-badge.js";

/**
 * Environments (columns, in tier order) × packages (rows) of current versions, and of the latest attempt
 * where none succeeded yet. Environment names are shown as stored: names differing only in case are
 * different environments.
 */
export function Matrix(props: { cells: readonly MatrixCell[]; environments: readonly string[]; now: Date }) {
  const byKey = new Map(props.cells.map((cell) => [cellKey(cell.package, cell.environment), cell]));
  const packages = [...new Set(props.cells.map((cell) => cell.package))];
  if (packages.length === 0) {
    return <p class="empty">Nothing has been deployed successfully yet.</p>;
  }
  return (
    <div class="table-wrap">
      <table class="matrix">
        <caption class="visually-hidden">
          Current version of each package (rows) in each environment (columns)
        </caption>
        <thead>
          <tr>
            <th scope="col">Package</th>
            {props.environments.map((environment) => (
              <th scope="col" class="environment">
                {environment}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {packages.map((name) => (
            <tr>
              <th scope="row">
                <span class="pkg-name">
                  <a href={`/releases?package=${encodeURIComponent(name)}`}>{name}</a>
                </span>
              </th>
              {props.environments.map((environment) => {
                const cell = byKey.get(cellKey(name, environment));
                return (
                  <td>
                    {cell?.current ? (
                      <Cell cell={cell} current={cell.current} now={props.now} />
                    ) : cell?.latest ? (
                      <AttemptOnlyCell cell={cell} attempt={cell.latest} now={props.now} />
                    ) : (
                      <EmptyCell />
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EmptyCell() {
  return (
    <span class="empty-cell" aria-label="not deployed">
      <span aria-hidden="true">·</span>
    </span>
  );
}

function Cell(props: { cell: MatrixCell; current: CurrentCell; now: Date }) {
  const { cell, current } = props;
  const state = cell.latest?.status ?? (current.rollback ? "rollback" : "succeeded");
  return (
    <div>
      <a
        class={`cell cell-${state}`}
        href={releasePath(current.release_id)}
        data-package={cell.package}
        data-environment={cell.environment}
      >
        <span class="version">{current.version ?? "unknown version"}</span>
        {current.rollback ? (
          <>
            {" "}
            <RollbackBadge />
          </>
        ) : null}
        <span class="meta">
          {current.person ?? "unknown"} · <RelTime iso={current.deployed_at} now={props.now} />
        </span>
      </a>
      {cell.latest ? <Attempt attempt={cell.latest} /> : null}
    </div>
  );
}

/**
 * A package deployed here with no current version: none of its deployments succeeded (yet), or it was
 * removed from the environment since (CDEvents service.removed, DELETE .../current). Its latest attempt.
 */
function AttemptOnlyCell(props: { cell: MatrixCell; attempt: LatestAttempt; now: Date }) {
  const { cell, attempt } = props;
  return (
    <div class="no-current" data-package={cell.package} data-environment={cell.environment}>
      <Attempt attempt={attempt} />
      <span class="meta">
        {cell.removed_at === null ? (
          <>
            no current version · {attempt.person ?? "unknown"} ·{" "}
            <RelTime iso={attempt.started_at} now={props.now} />
          </>
        ) : (
          <>
            removed <RelTime iso={cell.removed_at} now={props.now} />
          </>
        )}
      </span>
    </div>
  );
}

function Attempt(props: { attempt: LatestAttempt }) {
  const { attempt } = props;
  return (
    <a class="attempt" href={releasePath(attempt.release_id)}>
      <StatusBadge status={attempt.status} label={`${attempt.status} ${attempt.version ?? ""}`} />
    </a>
  );
}
