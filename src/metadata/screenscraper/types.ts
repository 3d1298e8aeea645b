/** The parts of ScreenScraper's `jeu` object romshelf reads (api2 JSON; every scalar arrives as a string). */

export interface SsText {
  text?: string;
  region?: string;
  langue?: string;
}

export interface SsTaxon {
  id?: string;
  noms?: SsText[];
}

export interface SsMedia {
  type?: string;
  parent?: string;
  url?: string;
  region?: string;
  format?: string;
}

export interface SsGame {
  id: string | number;
  notgame?: string;
  noms?: SsText[];
  synopsis?: SsText[];
  editeur?: SsText;
  developpeur?: SsText;
  joueurs?: SsText;
  note?: SsText;
  dates?: SsText[];
  classifications?: { type?: string; text?: string }[];
  genres?: SsTaxon[];
  modes?: SsTaxon[];
  familles?: SsTaxon[];
  medias?: SsMedia[];
}
