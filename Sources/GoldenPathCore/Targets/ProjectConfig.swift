/// Repository-wide settings, read from `targets/project.yml`.
public struct ProjectConfig: Hashable, Sendable {
    /// One workflow file to generate.
    public struct Workflow: Hashable, Sendable {
        /// The file name without `.yml`, such as `pr-quality-check`.
        public var name: String
        /// The workflow's `name:` as GitHub shows it (branch protection and `workflow_run` match on it); the file name
        /// when not set.
        public var title: String?
        /// The events it runs on, in the order written.
        public var events: [Event]
        /// Branches the event is limited to (the base branch for pull requests); empty means every branch.
        public var branches: [String]
        /// Tags a `push` runs for (`v*`); with tags and no branches, pushes to branches do not run it.
        public var tags: [String]
        /// `schedule` cron lines (UTC).
        public var cron: [String]
        /// Typed `workflow_dispatch` inputs, each handed to the make steps as an environment variable.
        public var inputs: [DispatchInput]
        /// For `workflow_run`: the names of the workflows it follows.
        public var follows: [String]
        /// For `workflow_run`: the artifact downloaded from the run it follows (every artifact when nil).
        public var followedArtifact: String?
        /// For `workflow_run`: steps from pinned actions run after the download.
        public var followSteps: [ActionStep]
        /// The gates whose jobs the workflow runs, in order.
        public var gates: [Int]
        /// Settings of single jobs, by job id (`generated-files`, `vendored-files`, `gate-1`, `gate-2`, `artifacts`).
        public var jobs: [String: JobSettings]
        /// `cache: pip` on setup-python.
        public var cachesPip: Bool
        public var location: SourceLocation
        /// The environment its gate 2 job deploys to (`environment:`; the only one when the project defines one).
        public var environment: String? = nil
        /// Where `environment:` is written (the workflow's start when it is implied).
        public var environmentLocation: SourceLocation? = nil

        /// The first event (most workflows have one).
        public var event: Event { events[0] }
        /// The name GitHub shows.
        public var displayName: String { title ?? name }

        public init(name: String, title: String? = nil, events: [Event], branches: [String] = [], tags: [String] = [],
                    cron: [String] = [], inputs: [DispatchInput] = [], follows: [String] = [], followedArtifact: String? = nil,
                    followSteps: [ActionStep] = [], gates: [Int], jobs: [String: JobSettings] = [:], cachesPip: Bool = false,
                    location: SourceLocation) {
            self.name = name
            self.title = title
            self.events = events
            self.branches = branches
            self.tags = tags
            self.cron = cron
            self.inputs = inputs
            self.follows = follows
            self.followedArtifact = followedArtifact
            self.followSteps = followSteps
            self.gates = gates
            self.jobs = jobs
            self.cachesPip = cachesPip
            self.location = location
        }
    }

    /// A typed input of a manually started workflow.
    public struct DispatchInput: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable, CaseIterable {
            case string, boolean, choice, number
        }
        public var name: String
        public var kind: Kind
        public var description: String
        public var required: Bool
        public var defaultValue: String?
        /// The values of a `choice` input.
        public var options: [String]
        /// The environment variable the make steps read it from: the input's own name, so that make sees it as
        /// `$(name)`, as if it had been given on the command line (`make run name=...`).
        public var variable: String { name }
    }

    /// What a workflow may set for one of its jobs.
    public struct JobSettings: Hashable, Sendable {
        /// The job's `name:` (what branch protection's required checks match).
        public var title: String?
        /// For a gate job: the make targets it runs, in this order, instead of every target of the gate.
        public var targets: [TargetDefinition.Reference]?
        /// Steps from pinned actions run before the make steps (such as loading an SSH key into an agent).
        public var before: [ActionStep]
        /// Make targets run after the other steps whatever their outcome (`if: always()`), such as stopping an agent.
        public var cleanup: [TargetDefinition.Reference]
        public var location: SourceLocation

        public init(title: String? = nil, targets: [TargetDefinition.Reference]? = nil, before: [ActionStep] = [],
                    cleanup: [TargetDefinition.Reference] = [], location: SourceLocation) {
            self.title = title
            self.targets = targets
            self.before = before
            self.cleanup = cleanup
            self.location = location
        }
    }

    /// A step that runs an action pinned to a full commit SHA.
    public struct ActionStep: Hashable, Sendable {
        public struct Pair: Hashable, Sendable {
            public var key: String
            public var value: String
        }
        public var name: String
        public var action: PinnedAction
        /// `with:` inputs, literal strings, in the order written.
        public var with: [Pair]
        /// `with:` inputs filled from repository secrets, for this step only: input name → secret name.
        public var secrets: [Pair]
        public var location: SourceLocation
    }

    /// The events a workflow may run on. `pull_request_target` is refused on purpose: it runs with the repository's
    /// secrets on code from forks. `workflow_run` is allowed only for a workflow that downloads artifacts and runs
    /// pinned actions: it never checks out code and runs no make target.
    public enum Event: String, Hashable, Sendable, CaseIterable {
        case pullRequest = "pull_request"
        case push
        case workflowDispatch = "workflow_dispatch"
        case schedule
        case workflowRun = "workflow_run"
    }

    /// A secret handed to the jobs that touch the hosts as a file: the job writes it (mode 600) under the runner's
    /// temporary folder and removes it at the end whatever happens; the make steps get only its path. So `set -x`
    /// prints a path and Ansible's facts (`ansible_env`) hold a path, never the secret.
    public struct Secret: Hashable, Sendable {
        /// The environment variable that holds the file's path; it ends with `_FILE`.
        public var variable: String
        /// The repository secret's name.
        public var secret: String
    }

    /// Where the verification spec is and where its compiled playbook goes.
    public struct Verification: Hashable, Sendable {
        public var spec: String
        public var playbook: String
        public var inventory: String?
        public var location: SourceLocation
    }

    /// Files a make target produces on the hosted runner and every gate job receives as an artifact: for a
    /// repository that does not commit its vendored tarballs, so that the lab runner never needs the internet.
    public struct VendorHandOff: Hashable, Sendable {
        /// The make target that writes the files (`make vendor`).
        public var target: String
        /// The folder the files are written to and restored into.
        public var folder: String
        /// Which files of the folder are handed over (a shell glob).
        public var pattern: String
        public var location: SourceLocation
    }

    /// The offline installer of the vendored collections that `generate` writes (`collections:`), and the
    /// repository's own commands that its messages name.
    public struct Collections: Hashable, Sendable {
        /// Where the installer is written, relative to the top folder (default `scripts/install-collections.py`).
        public var installer: String
        public var commands: CollectionInstaller.Commands
        public var location: SourceLocation
    }

    /// The run recorder that `generate` writes (`runs:`): where, and its settings.
    public struct Runs: Hashable, Sendable {
        /// Where the recorder is written, relative to the top folder (default `scripts/goldenpath-run.py`).
        public var recorder: String
        public var settings: RunRecorder.Settings
        public var location: SourceLocation
    }

    /// The file the settings were read from.
    public var path: String
    /// The command that regenerates every output, printed by the Makefile and by `check`.
    public var regenerateCommand: String
    /// The command the drift-check job runs.
    public var checkCommand: String
    /// The Python version the hosted runner sets up.
    public var pythonVersion: String
    /// `runs-on` of Gate 1 jobs.
    public var hostedRunner: String
    /// `runs-on` labels of Gate 2 jobs (the self-hosted lab runner).
    public var labRunnerLabels: [String]
    /// The concurrency group shared by every job that touches the hosts.
    public var hostsConcurrencyGroup: String
    public var secrets: [Secret]
    /// Folders uploaded by every job besides the ones its targets name.
    public var artifacts: [String]
    public var artifactRetentionDays: Int
    public var workflows: [Workflow]
    public var verification: Verification?
    public var vendor: VendorHandOff?
    public var collections: Collections? = nil
    public var runs: Runs? = nil
    public var promotion: Promotion? = nil
    /// The environments gate 2 jobs deploy to, in the order written; empty when the project defines none (then gate 2
    /// runs on `runners.gate2` with the project-wide `secrets`).
    public var environments: [Environment] = []
    /// The CI systems written: GitHub Actions, GitLab CI or both.
    public var backends: [Backend] = [.github]
    /// GitLab settings (used when `backends` lists gitlab).
    public var gitlab: GitLabSettings = .init()

    /// A CI system goldenpath writes configuration for.
    public enum Backend: String, Hashable, Sendable, CaseIterable {
        case github, gitlab
    }

    /// `gitlab:` in `targets/project.yml`.
    public struct GitLabSettings: Hashable, Sendable {
        /// The image of the jobs on GitLab's hosted runners (default `python:<python>-bookworm`).
        public var image: String?
        /// The image of the drift-check job (default: `image`); a repository whose `check` runs Swift names one with it.
        public var checkImage: String?
        public init(image: String? = nil, checkImage: String? = nil) {
            self.image = image
            self.checkImage = checkImage
        }
    }

    /// The keys `targets/project.yml` may hold.
    public static let keys = ["regenerate", "check", "python", "runners", "concurrency", "secrets", "artifacts",
                              "retention_days", "workflows", "verification", "vendor", "collections", "environments", "backends",
                              "gitlab", "promotion", "runs"]
    public static let gitlabKeys = ["image", "check_image"]
    public static let runnerKeys = ["gate1", "gate2"]
    public static let workflowKeys = ["name", "event", "branches", "tags", "cron", "inputs", "workflows", "artifact", "steps",
                                      "gates", "jobs", "cache", "environment"]
    public static let jobKeys = ["name", "targets", "before", "cleanup"]
    public static let inputKeys = ["type", "description", "required", "default", "options"]
    public static let actionStepKeys = ["name", "uses", "version", "with", "secrets"]
    public static let verificationKeys = ["spec", "playbook", "inventory"]
    public static let vendorKeys = ["target", "folder", "pattern"]
    public static let collectionsKeys = ["installer", "vendor_command", "pin_command"]
    public static let runsKeys = ["recorder", "folder", "artifacts", "inventory", "inventory_variable"]

    public static let defaultRegenerateCommand = "swift package --allow-writing-to-package-directory generate-ci"
}
