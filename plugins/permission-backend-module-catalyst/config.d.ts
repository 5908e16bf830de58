export interface Config {
  catalyst?: {
    permissions?: {
      /**
       * Entity refs of the groups (or users) whose members are platform admins: they may do everything.
       * Short refs default to kind Group in namespace default. Default: `group:default/platform-team`.
       */
      adminGroups?: string[];
    };
  };
}
