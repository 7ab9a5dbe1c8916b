/// The default configuration, embedded from Resources/defaults.yaml at build time.
public enum QueueDeckResources {
    public static var defaultsYAML: String { String(decoding: PackageResources.defaults_yaml, as: UTF8.self) }
}
