/// Repository-wide settings, read from `targets/project.yml`.
public struct ProjectConfig: Hashable, Sendable {
    /// One workflow file to generate.
    public struct Workflow: Hashable, Sendable {
        /// The file name without `.yml`, such as `pr-quality-check`.
        public var name: String
        public var event: Event
        /// Branches the event is limited to (the base branch for pull requests); empty means every branch.
        public var branches: [String]
        /// The gates whose jobs the workflow runs, in order.
        public var gates: [Int]
        public var location: SourceLocation
    }

    /// The events a workflow may run on. `pull_request_target` and `workflow_run` are refused on purpose: they run
    /// with the repository's secrets on code from forks.
    public enum Event: String, Hashable, Sendable, CaseIterable {
        case pullRequest = "pull_request"
        case push
    }

    /// A secret handed to the jobs that touch the hosts, always through `env:`.
    public struct Secret: Hashable, Sendable {
        /// The environment variable the recipes read.
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

    /// The keys `targets/project.yml` may hold.
    public static let keys = ["regenerate", "check", "python", "runners", "concurrency", "secrets", "artifacts",
                              "retention_days", "workflows", "verification", "vendor", "collections"]
    public static let runnerKeys = ["gate1", "gate2"]
    public static let workflowKeys = ["event", "branches", "gates"]
    public static let verificationKeys = ["spec", "playbook", "inventory"]
    public static let vendorKeys = ["target", "folder", "pattern"]
    public static let collectionsKeys = ["installer", "vendor_command", "pin_command"]

    public static let defaultRegenerateCommand = "swift package --allow-writing-to-package-directory generate-ci"
}
