import Foundation
import GoldenPathCore
import TestSupport

/// The specs and inventories the tests compile.
enum SpecFiles {
    static func package(_ path: String) throws -> SourceFile {
        SourceFile(path: path, text: try String(contentsOf: PackagePaths.path(path), encoding: .utf8))
    }

    /// The repository's inventory when it exists, else the fixture of the same shape.
    static func labInventory() throws -> SourceFile {
        if FileManager.default.fileExists(atPath: PackagePaths.path("inventory/lab.yml").path) {
            return try package("inventory/lab.yml")
        }
        return try package("Tests/VerificationTests/Fixtures/lab-inventory.yml")
    }
}
