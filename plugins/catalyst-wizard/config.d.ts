export interface Config {
  catalyst?: {
    vouchers?: {
      /**
       * ISO 4217 code (three letters) the "Issue vouchers" form starts with; the issuer may still type another.
       * @default EUR
       * @visibility frontend
       */
      defaultCurrency?: string;
    };
  };
}
