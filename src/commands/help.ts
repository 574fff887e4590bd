// The CLI's help texts, one per command (`imagectl CMD --help`, `imagectl help CMD`).
export const COMMON_HELP = `Common flags:
  -c, --config FILE     configuration file (default: imagectl.yaml, .imagectlrc, ... in the current folder)
  --no-color            plain output (also when NO_COLOR is set)
  --parallelism N       operations in flight per provider (default 10)
  --lock-timeout DUR    wait this long for the state lock, e.g. 30s (default: fail at once)`;

export const HELP: Record<string, string> = {
  main: `imagectl: keep VM images on Nutanix Prism Central and Numspot the way Git says they should be.

Usage: imagectl COMMAND [flags]

Commands:
  validate    check the configuration (no API calls)
  plan        show what apply would change
  apply       make the clouds match the configuration (or apply a saved plan file)
  drift       report how the clouds differ from the state and the configuration (read-only)
  import      adopt an existing image: imagectl import ADDRESS ID
  state       list, show or remove images in the state; locks, history, migrate to PostgreSQL
  simulate    serve the local cloud simulators
  help        help for a command
  version     print imagectl's version (also -v, --version)

Run 'imagectl COMMAND --help' for a command's flags.

Exit codes: 0 ok; 1 error; plan --detailed-exitcode: 2 when there are changes (or interrupted operations to resolve); apply interrupted: 130;
drift: 2 config not applied, 3 live drift, 4 some images not checked (the highest applies).
`,
  validate: `Usage: imagectl validate [-c FILE]

Checks the configuration: YAML syntax, every field against the drivers' schemas, references,
includes and secret references. Reports every problem as FILE:LINE:COL. Makes no API call and
reads no secret, so it runs in CI without credentials. Exit 0 valid, 1 invalid.
`,
  plan: `Usage: imagectl plan [--out FILE] [--json] [--detailed-exitcode] [--target ADDR]... [--refresh=false]

Compares the configuration with the state and the live images and prints the actions apply
would take. Read-only: takes a shared lock and makes no change.

  --out FILE              also write the plan as JSON to FILE
  --json                  print the plan as one JSON document (schemas/plan.schema.json)
  --format F              text (default), json, or markdown (for pull-request comments)
  --detailed-exitcode     exit 0 with no changes, 2 with changes, 1 on error (a provider that
                          cannot be read is an error)
  --target ADDR           plan only ADDR and what it depends on (repeatable)
  --refresh=false         plan from the state file without reading the clouds
  --refresh-mode MODE     bulk (default: one list per provider) or per-resource (one read per image)
  --allow-unreadable P    plan even though provider P cannot be read (repeatable); its images are
                          planned from the state alone, and the plan says so in every format
  --allow-empty           allow destroying every image when the configuration declares none
`,
  apply: `Usage: imagectl apply [PLAN_FILE] [--auto-approve] [--json] [--target ADDR]... [--parallelism N]

Resolves operations an interrupted run left behind, plans, asks for 'yes', then creates,
updates, replaces and deletes images in dependency order, in parallel, saving the state after
every step. Ctrl-C stops starting new work, waits for calls in flight, saves, exits 130.

  --auto-approve          do not ask (required when not in a terminal)
  --json                  print the plan as JSON, then one JSON event per line
  --target ADDR           apply only ADDR and what it depends on (repeatable)
  --grace-period DUR      how long Ctrl-C waits for calls in flight (default 60s)
  --allow-empty           allow destroying every image when the configuration declares none
  --refresh-only          accept changes made outside imagectl into the state; change no image
  --allow-unreadable P    go on although provider P cannot be read (repeatable; else exit 1)

With PLAN_FILE (from 'imagectl plan --out PLAN_FILE'), applies exactly that plan without asking:
the images it touches are read again and the plan is refused, naming the image, if any moved.
`,
  drift: `Usage: imagectl drift [--format text|json|markdown] [--report FILE] [--since PREVIOUS.json] [--unmanaged]

Reads every managed image and reports, without changing anything (shared lock, no state write):
in_sync, modified (live differs from the state), deleted, pending (the YAML differs from what was
applied), not_checked (auth, throttling or API errors; never taken for deleted or in sync), and
with --unmanaged, leaked (tagged with this state's lineage but not in it) and unmanaged (in a
drift.unmanaged scope but not managed).

  --format F              text (default), json (schemas/drift.schema.json) or markdown (PR comments, job summaries)
  --report FILE           also write the report; .md is Markdown, .txt is text, anything else JSON
  --since PREVIOUS.json   mark each finding new or unchanged, and list resolved ones
  --unmanaged             also list leaked and unmanaged images
  --target ADDR           report only ADDR and what it depends on (repeatable)

Exit: 0 in sync, 1 error, 2 config changes not applied, 3 live drift, 4 some images not checked.
Suppress known drift with drift.ignore rules in the configuration.
`,
  import: `Usage: imagectl import ADDRESS ID

Adopts an existing image into the state under ADDRESS, which must be declared in the
configuration. Run 'imagectl plan' afterwards to see what still differs.
`,
  state: `Usage: imagectl state list | show ADDRESS | rm ADDRESS... | unlock LOCK_ID [--force] | lock-info | history | pull | migrate

  list            addresses, providers and cloud ids in the state
  show ADDRESS    everything the state holds for one image (secrets shown as (sensitive))
  rm ADDRESS...   forget images (they stay in the cloud); lifts prevent_destroy too
  unlock LOCK_ID  break the lock of a run that is gone (its id is in the error that names the
                  holder); a holder that looks alive is refused unless --force, which breaks it
                  (postgres: ends its session); that run then stops at its next step, exit 1
  lock-info       who holds the state lock now (--json)
  history         saved generations, newest first: serial, time, size, who wrote it (--json);
                  postgres keeps every one, the local file its backups
  pull [--serial N]
                  print the state (or generation N) as JSON; secrets are only fingerprints
  migrate --to postgres|local [--path FILE]
                  copy the state between the local file (--path, default state.path) and the
                  postgres settings under state:, lineage and serial kept, under both locks;
                  refused if the target holds another lineage or a newer generation
`,
  simulate: `Usage: imagectl simulate [--nutanix-port N] [--numspot-port N] [--state-dir DIR] [flags]

Serves faithful local simulators of Nutanix Prism Central v4 and Numspot on 127.0.0.1 until
Ctrl-C, and prints their URLs, the credentials they accept, and what they are seeded with.
Images persist in DIR when given.

  --nutanix-username U, --nutanix-password P       credentials the Nutanix simulator accepts
  --numspot-client-id ID, --numspot-client-secret S, --numspot-space-id UUID
  --numspot-api-version 2026-02|2026-06            2026-06 has no image access updates
  --latency-ms N          added latency per request
  --task-duration-ms N    how long each Nutanix task takes (default 300)
  --pending-ms N          how long a Numspot image from a VM stays pending (default 500)

Fault injection (both simulators; rates are fractions in [0, 1], drawn from --seed N):
  --jitter-ms N           extra random latency in [0, N)
  --error-rate R          answer 500/502/503 without acting
  --throttle-rate R       answer 429 with Retry-After (--retry-after S, default 1)
  --drop-before-rate R    drop the connection before acting (nothing happened)
  --drop-after-rate R     act, then drop the connection (it happened, unseen)
  --delete-refused-rate R refuse DELETE with 409 without acting (an image in use)
  --redirect-rate R       answer 307 to another origin (--redirect-port P: 127.0.0.1:P) without acting
  --task-failure-rate R   Nutanix: tasks end FAILED
  --slow-task-rate R      Nutanix: tasks take --slow-task-factor (default 10) times longer
  --image-failure-rate R  Numspot: new images end 'failed'
  --stuck-rate R          Numspot: new images stay 'pending' --stuck-ms (default 10000) longer
  --token-expiry-rate R   Numspot: access tokens expire early (401)
In-process simulators (simulator: true) read the same faults as JSON from
IMAGECTL_SIMULATOR_FAULTS, e.g. '{"errorRate":0.1,"dropAfterRate":0.05}', and IMAGECTL_SIMULATOR_SEED.
`,
};
