import { Type, type TSchema } from 'typebox';

export const Detail = Type.Object({ detail: Type.String() }, { $id: undefined, description: 'Error' });

/** FastAPI-style 422 body. */
export const ValidationDetail = Type.Object({
  detail: Type.Array(Type.Object({ type: Type.String(), loc: Type.Array(Type.Union([Type.String(), Type.Number()])), msg: Type.String() })),
});

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Standard error responses, merged into a route's response map. */
export const errorResponses = {
  400: Detail,
  401: Detail,
  403: Detail,
  404: Detail,
  422: ValidationDetail,
};
