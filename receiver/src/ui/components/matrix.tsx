import { releasePath } from "../links.js";
import { cellKey, type MatrixCell } from "../queries.js";
import { RelTime } from "./rel-time.js";
import { RollbackBadge, StatusBadge } from "./status-badge.js";

/** Environments (columns, in tier order) × packages (rows) of current versions. */
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
              <th scope="col">{environment}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {packages.map((name) => (
            <tr>
              <th scope="row">
                <a href={`/releases?package=${encodeURIComponent(name)}`}>{name}</a>
              </th>
              {props.environments.map((environment) => {
                const cell = byKey.get(cellKey(name, environment));
                return <td>{cell ? <Cell cell={cell} now={props.now} /> : <EmptyCell />}</td>;
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

function Cell(props: { cell: MatrixCell; now: Date }) {
  const { cell } = props;
  const state = cell.latest?.status ?? (cell.rollback ? "rollback" : "succeeded");
  return (
    <div>
      <a
        class={`cell cell-${state}`}
        href={releasePath(cell.release_id)}
        data-package={cell.package}
        data-environment={cell.environment}
      >
        <span class="version">{cell.version ?? "unknown version"}</span>
        {cell.rollback ? (
          <>
            {" "}
            <RollbackBadge />
          </>
        ) : null}
        <span class="meta">
          {cell.person ?? "unknown"} · <RelTime iso={cell.deployed_at} now={props.now} />
        </span>
      </a>
      {cell.latest ? (
        <a class="attempt" href={releasePath(cell.latest.release_id)}>
          <StatusBadge
            status={cell.latest.status}
            label={`${cell.latest.status} ${cell.latest.version ?? ""}`}
          />
        </a>
      ) : null}
    </div>
  );
}
