/** Open connections per remote address, to cap how many one address may hold. */
export class AddressCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  /** Whether one more connection from the address stays within the cap. */
  allows(address: string): boolean {
    return (this.open.get(address) ?? 0) < this.maxPerAddress;
  }

  opened(address: string): void {
    this.open.set(address, (this.open.get(address) ?? 0) + 1);
  }

  closed(address: string): void {
    const left = (this.open.get(address) ?? 0) - 1;
    // Entries go with their last connection, so the map cannot grow with every address ever seen.
    if (left > 0) this.open.set(address, left);
    else this.open.delete(address);
  }

  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
