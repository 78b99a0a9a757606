/** The UI's entry: the header and the page the hash route names. */
import { render } from "preact";
import { CostsPage } from "./costs-page.tsx";
import { source } from "./data.ts";
import { PipelinePage } from "./pipeline-page.tsx";
import { href, useRoute } from "./router.ts";
import { RunPage } from "./run-page.tsx";
import { RunsPage } from "./runs-page.tsx";

function App() {
  const route = useRoute();
  const exported = source.exported;
  if (exported)
    return (
      <Shell exported>{<RunPage route={{ page: "run", arg: exported.run.run_id, params: route.params }} />}</Shell>
    );
  const page =
    route.page === "run" ? (
      <RunPage route={route} key={route.arg} />
    ) : route.page === "costs" ? (
      <CostsPage route={route} />
    ) : route.page === "pipeline" ? (
      <PipelinePage route={route} key={route.arg} />
    ) : (
      <RunsPage route={route} />
    );
  return <Shell exported={false}>{page}</Shell>;
}

function Shell(props: { exported: boolean; children: preact.ComponentChildren }) {
  return (
    <>
      <header>
        <strong>aiorch</strong>
        {props.exported ? (
          <span class="muted">a recorded run (aiorch trace --html)</span>
        ) : (
          <nav>
            <a href={href("runs")}>runs</a>
            <a href={href("costs")}>costs</a>
          </nav>
        )}
      </header>
      <main>{props.children}</main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
