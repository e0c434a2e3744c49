// Placeholder until fakes land.
