/** Stellar network passphrases by the names people use. */
export const NETWORKS: Readonly<Record<string, string>> = {
  pubnet: "Public Global Stellar Network ; September 2015",
  mainnet: "Public Global Stellar Network ; September 2015",
  testnet: "Test SDF Network ; September 2015",
  futurenet: "Test SDF Future Network ; October 2022",
  standalone: "Standalone Network ; February 2017",
  // stellar-core's unit tests (the core-test-lcms fixtures) run on this one.
  "core-test": "(V) (;,,;) (V)",
};

/** A network name or a literal passphrase → the passphrase. */
export function resolvePassphrase(nameOrPassphrase: string): string {
  return NETWORKS[nameOrPassphrase.toLowerCase()] ?? nameOrPassphrase;
}

/** A short name for logs and era ids. */
export function networkName(passphrase: string): string {
  for (const [name, p] of Object.entries(NETWORKS))
    if (p === passphrase) return name === "mainnet" ? "pubnet" : name;
  return "custom";
}
