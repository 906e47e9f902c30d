// What each deck's template gets, by deck kind: the deck's meta (theme, language, title, footer)
// and the view models of model.ts. The pipeline plans decks with these and the templates
// (templates/<kind>.hbs) read them; a deck kind without a context here does not compile.
import type { DeckKind } from '../types.js'
import type { DeckMeta, EventView, LunchView, TalkView } from './model.js'

/** templates/talk.hbs: the talk, and its event (undefined when `_event.md` is missing or invalid). */
export interface TalkDeckContext {
  deck: DeckMeta
  talk: TalkView
  event: EventView | undefined
  /** The event's title, or its folder's name without one. */
  eventTitle: string
}

/** templates/summary.hbs: the event with its talks. */
export interface SummaryDeckContext {
  deck: DeckMeta
  event: EventView
}

/** templates/lunch-and-learn.hbs. */
export interface LunchDeckContext {
  deck: DeckMeta
  lunch: LunchView
}

interface ContextOfKind {
  talk: TalkDeckContext
  summary: SummaryDeckContext
  'lunch-and-learn': LunchDeckContext
}

/** A deck's kind and its template's context: `kind` says which context it is. */
export type DeckContext = { [K in DeckKind]: { kind: K; context: ContextOfKind[K] } }[DeckKind]
