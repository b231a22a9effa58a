import { Matrix } from "./components/matrix.js";
import type { DoraData, OverviewData, ReleaseData, ReleasesData } from "./page-data.js";
import { DoraPage } from "./pages/dora-page.js";
import { MessagePage } from "./pages/message-page.js";
import { OverviewPage } from "./pages/overview-page.js";
import { ReleasePage } from "./pages/release-page.js";
import { ReleasesPage } from "./pages/releases-page.js";
import type { MatrixCell } from "./queries.js";

/** Renders a whole page or fragment to HTML text. */
async function html(node: unknown): Promise<string> {
  return String(await node);
}

export const renderOverview = (data: OverviewData) => html(<OverviewPage {...data} />);
export const renderReleases = (data: ReleasesData) => html(<ReleasesPage {...data} />);
export const renderRelease = (data: ReleaseData) => html(<ReleasePage {...data} />);
export const renderDora = (data: DoraData) => html(<DoraPage {...data} />);
export const renderMessage = (data: {
  title: string;
  message: string;
  now: Date;
  hint?: string;
  signIn?: { next: string };
}) => html(<MessagePage {...data} />);
export const renderMatrix = (data: {
  cells: readonly MatrixCell[];
  environments: readonly string[];
  now: Date;
}) => html(<Matrix {...data} />);
