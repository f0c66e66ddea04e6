// Scaffolding so the target builds until its tests land.
import Testing
