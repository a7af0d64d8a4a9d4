// Package journey models the customer journey — stages, touchpoints, channels and buyer
// personas — and analyses the experience along it with the metric packages of cxkit (nps, csat,
// ces, responsetime, churn), which it imports and never re-implements.
//
// # The map and the experience at every touchpoint
//
// (Map, Stage, Touchpoint, Channel, Persona; observations; Accumulator; Report; pain points;
// key drivers; Mermaid journey diagrams and charts.)
//
// # Paths, funnels and attribution
//
// (Event; Funnel; path analysis; Path and Paths; MarkovAttribution; HeuristicAttribution;
// Mermaid sankey diagrams.)
package journey
